"""The items of a meeting's agenda, with what the minutes say about each."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from medvirk.organisation.models import User
from medvirk.surveys.models import Audience, Round

from .councils import Council
from .meetings import Meeting


class AgendaItem(models.Model):
    """An item on a meeting's agenda (sak), numbered per council and year: 3/2026."""

    class Kind(models.TextChoices):
        NOTICE_APPROVAL = "notice_approval", _("Approval of the notice and agenda")
        MINUTES_APPROVAL = "minutes_approval", _("Approval of the minutes of the last meeting")
        ORIENTATIONS = "orientations", _("Orientations")
        ITEM = "item", _("Item for advice")

    STANDING_KINDS = (Kind.NOTICE_APPROVAL, Kind.MINUTES_APPROVAL, Kind.ORIENTATIONS)

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("meeting")
    )
    # The council and year again, so the database keeps the numbers unique.
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ITEM)
    title = models.CharField(_("title"), max_length=200, blank=True)
    theme = models.CharField(
        _("theme"),
        max_length=200,
        blank=True,
        help_text=_("One of the themes a council can take up (see the settings)."),
    )
    description = models.TextField(
        _("background"),
        blank=True,
        help_text=_("What the item is about and what the unit asks the council's advice on."),
    )
    proposal = models.TextField(
        _("proposed advice"),
        blank=True,
        help_text=_("The secretary's proposal for the council's advisory resolution."),
    )
    # Survey figures to go with the item: a unit's group in one round, by its stable key
    # (cells are stored anew each time results are computed), and the chosen statements.
    results_round = models.ForeignKey(
        Round,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("survey results"),
    )
    results_audience = models.CharField(
        max_length=10, choices=Audience.choices, blank=True, default=""
    )
    results_key = models.CharField(max_length=40, blank=True, default="")
    statement_keys = models.JSONField(default=list, blank=True)
    flags = models.JSONField(_("may be an individual case"), default=list, blank=True)
    flags_confirmed_at = models.DateTimeField(null=True, blank=True)
    flags_confirmed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    flags_confirmation = models.TextField(_("why this is not an individual case"), blank=True)
    discussion = models.TextField(_("discussion"), blank=True)
    resolution = models.TextField(
        _("advisory resolution"),
        blank=True,
        help_text=_("What the council advises. The council gives advice; it does not decide."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "year", "number"], name="agenda_item_number_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="agenda_item_number_positive"),
            models.CheckConstraint(
                condition=Q(kind__in=["notice_approval", "minutes_approval", "orientations"])
                | ~Q(title=""),
                name="agenda_item_titled",
            ),
            models.CheckConstraint(
                condition=Q(results_round__isnull=True)
                | (~Q(results_audience="") & ~Q(results_key="")),
                name="agenda_item_results_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.display_title}"

    def clean(self) -> None:
        if self.kind == self.Kind.ITEM and not self.title.strip():
            raise ValidationError({"title": gettext("Give the item a title.")})
        if (
            self.meeting_id is not None
            and self.council_id is not None
            and (self.meeting.council_id != self.council_id or self.meeting.plan.year != self.year)
        ):
            raise ValidationError(gettext("The item must be numbered in its meeting's year."))

    @property
    def label(self) -> str:
        return f"{self.number}/{self.year}"

    @property
    def display_title(self) -> str:
        """Standing items are named in the reader's language; other items as written."""
        if self.kind in self.STANDING_KINDS and not self.title:
            return str(self.get_kind_display())
        return self.title

    @property
    def is_standing(self) -> bool:
        return self.kind in self.STANDING_KINDS

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.flags) and self.flags_confirmed_at is None

    @property
    def has_results(self) -> bool:
        return self.results_round_id is not None
