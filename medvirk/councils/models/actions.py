"""The unit's improvement plan."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from medvirk.organisation.models import Unit
from medvirk.surveys.models import Audience, Round

from .agenda import AgendaItem


class ImprovementAction(models.Model):
    """One action of a unit's improvement plan (tiltaksplan), tied to what prompted it:
    survey statements of a round, or a theme of the feedback the unit received."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="improvement_actions", verbose_name=_("unit")
    )
    title = models.CharField(_("action"), max_length=200)
    description = models.TextField(_("what will be done"), blank=True)
    round = models.ForeignKey(
        Round,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("based on the survey"),
    )
    audience = models.CharField(
        _("respondents"), max_length=10, choices=Audience.choices, default=Audience.USERS
    )
    statement_keys = models.JSONField(_("statements"), default=list, blank=True)
    feedback_theme = models.CharField(
        _("feedback theme"),
        max_length=200,
        blank=True,
        help_text=_("Or what users and relatives have said, e.g. “meals”, “activities”."),
    )
    owner = models.CharField(_("responsible"), max_length=150)
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    council_advice = models.TextField(_("the council's advice"), blank=True)
    advice_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("advice given in item"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        ordering = ["status", "due_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_on__isnull=False),
                name="improvement_action_done_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.statement_keys and self.round_id is None:
            errors["round"] = gettext("Choose the survey round the statements are from.")
        if self.round_id is not None and not self.statement_keys:
            errors["statement_keys"] = gettext(
                "Choose the statements of the survey the action should move."
            )
        if not self.statement_keys and not self.feedback_theme.strip():
            errors["feedback_theme"] = gettext(
                "Link the action to survey statements or to a feedback theme."
            )
        if self.status == self.Status.DONE and self.completed_on is None:
            self.completed_on = timezone.localdate()
        if self.status != self.Status.DONE:
            self.completed_on = None
        if errors:
            raise ValidationError(errors)
