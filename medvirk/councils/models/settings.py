"""A municipality's rules for its councils (the seed's, until changed)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from medvirk.organisation.models import Municipality

from .. import defaults


class CouncilSettings(models.Model):
    """A municipality's rules for its councils. The defaults are the seed's."""

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        related_name="council_settings",
        verbose_name=_("municipality"),
    )
    max_representatives = models.PositiveSmallIntegerField(
        _("user representatives at most"),
        default=defaults.MAX_REPRESENTATIVES,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Including the chair. The seed's rules: up to five."),
    )
    max_chairs = models.PositiveSmallIntegerField(
        _("chairs at once"),
        default=defaults.MAX_CHAIRS,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text=_("Usually one. The chair is one of the user representatives."),
    )
    term_years = models.PositiveSmallIntegerField(
        _("term in years"),
        default=defaults.TERM_YEARS,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
        help_text=_("How long a representative is elected for. The seed's rules: two years."),
    )
    term_warning_months = models.PositiveSmallIntegerField(
        _("warn before a term ends (months)"),
        default=defaults.TERM_WARNING_MONTHS,
        validators=[MaxValueValidator(12)],
        help_text=_("Time to invite to an election meeting (allmøte) before terms end."),
    )
    max_meetings = models.PositiveSmallIntegerField(
        _("meetings a year at most"),
        default=defaults.MAX_MEETINGS,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_(
            "Council meetings, open assemblies and dialogue meetings together. Election "
            "meetings and neighbourhood conferences are not counted. The seed's rules: five."
        ),
    )
    max_open_assemblies = models.PositiveSmallIntegerField(
        _("open assemblies a year at most"),
        default=defaults.MAX_OPEN_ASSEMBLIES,
        validators=[MaxValueValidator(24)],
        help_text=_("Meetings to which all users and relatives are invited (stormøte)."),
    )
    dialogue_meetings = models.PositiveSmallIntegerField(
        _("dialogue meetings with politicians a year"),
        default=defaults.DIALOGUE_MEETINGS,
        validators=[MaxValueValidator(24)],
        help_text=_("The plan warns when it has fewer. The seed's rules: one."),
    )
    staff_members = models.PositiveSmallIntegerField(
        _("employees who attend"),
        default=defaults.STAFF_MEMBERS,
        validators=[MaxValueValidator(10)],
        help_text=_("Employees from user-facing work, besides the unit manager."),
    )
    notice_days = models.PositiveSmallIntegerField(
        _("days of notice"),
        default=defaults.NOTICE_DAYS,
        validators=[MaxValueValidator(60)],
        help_text=_("The meeting page warns when the notice goes out later than this."),
    )
    themes = models.TextField(
        _("themes the council can take up"),
        default="\n".join(defaults.THEMES),
        help_text=_(
            "One a line. Agenda items are filed under them, and the annual report counts "
            "them. Reword or remove themes to steer the councils towards developing the "
            "services rather than acting as the unit's board."
        ),
    )
    rules = models.TextField(
        _("the councils' rules"),
        default=defaults.RULES,
        help_text=_(
            "Shown on every council's page and its public page. A blank line between "
            "sections; the first line of a section is its heading; lines starting with "
            "“- ” are points."
        ),
    )
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("user council settings")
        verbose_name_plural = _("user council settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_chairs__lte=F("max_representatives")),
                name="council_settings_chairs_among_representatives",
            ),
            models.CheckConstraint(
                condition=Q(max_meetings__gte=F("max_open_assemblies") + F("dialogue_meetings")),
                name="council_settings_meetings_hold_the_special_ones",
            ),
        ]

    def __str__(self) -> str:
        return gettext("User council settings of %(municipality)s") % {
            "municipality": self.municipality
        }

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if (
            self.max_chairs is not None
            and self.max_representatives is not None
            and self.max_chairs > self.max_representatives
        ):
            errors["max_chairs"] = gettext(
                "The chair is one of the representatives: allow at most as many chairs as "
                "representatives."
            )
        if (
            self.max_meetings is not None
            and self.max_open_assemblies is not None
            and self.dialogue_meetings is not None
            and self.max_open_assemblies + self.dialogue_meetings > self.max_meetings
        ):
            errors["max_meetings"] = gettext(
                "The open assemblies and dialogue meetings are among the year's meetings: "
                "allow at least %(n)s meetings a year, or fewer of them."
            ) % {"n": self.max_open_assemblies + self.dialogue_meetings}
        if not defaults.theme_list(self.themes or ""):
            errors["themes"] = gettext("Give at least one theme.")
        if errors:
            raise ValidationError(errors)

    @property
    def theme_list(self) -> list[str]:
        return defaults.theme_list(self.themes)

    @property
    def rule_sections(self) -> list[defaults.Section]:
        return defaults.sections(self.rules)
