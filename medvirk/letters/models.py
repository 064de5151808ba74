"""Letter texts: what a round's invitation and reminder letters say, per audience and language.

The letters themselves are never stored: they are typeset when printed, each with its
recipient's code derived on the spot (see surveys/codes.py), and handed to the quality adviser
as a file that Medvirk deletes once it is downloaded.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from medvirk.organisation.models import User
from medvirk.surveys.models import LANGUAGE_CHOICES, Audience, Round


class LetterKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    REMINDER = "reminder", _("Reminder")


class LetterText(models.Model):
    """The wording of one kind of letter, for one audience, in one language, in one round.

    Bokmål is always there (the default text until someone saves their own); a recipient
    who prefers nynorsk or English gets that language if the round has a text in it.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="letter_texts")
    kind = models.CharField(_("letter"), max_length=12, choices=LetterKind.choices)
    audience = models.CharField(_("for"), max_length=10, choices=Audience.choices)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    title = models.CharField(_("heading"), max_length=300)
    body = models.TextField(_("text"))
    closing = models.CharField(_("closing"), max_length=150)
    signature_name = models.CharField(_("signed by"), max_length=150)
    signature_title = models.CharField(_("signatory's title"), max_length=150, blank=True)
    # How many pages the text needed when it was saved: 1, or 2 for both sides of the sheet.
    pages = models.PositiveSmallIntegerField(_("pages"), default=1, editable=False)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    updated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("letter text")
        verbose_name_plural = _("letter texts")
        ordering = ["kind", "audience", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "kind", "audience", "language"], name="letter_text_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(pages__gte=1, pages__lte=2), name="letter_text_one_sheet"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_audience_display()}, {self.language})"
