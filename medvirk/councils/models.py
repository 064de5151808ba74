"""User councils (brukerråd): members and their terms, meeting plans, meetings with their
agendas and minutes, participants of open meetings, papers sent by e-mail, and each unit's
improvement plan.

The seed's rules are settings (``CouncilSettings``), one row per municipality made with
it, with the seed's numbers. Limits that depend on those settings or on dates (five
representatives at once, one chair, no overlapping terms, five meetings a year) are
enforced by services.py with a message that says what to do; the database holds what does
not depend on them. A meeting moves planned → notice sent → held → minutes approved, each
with its time; approved minutes are locked, and the services refuse any change to them.

People on a council are often not Medvirk users, so a ``Membership`` is data (a name, how
to reach them, their role and term), linked to a user only where there is one. Their names
are public only with their consent.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from medvirk.organisation.models import Municipality, Unit, User
from medvirk.surveys.models import Audience, Round

from . import defaults


def short_date(value: date) -> str:
    """22.11.2026, the Norwegian way, in every language (see medvirk/formats)."""
    return formats.date_format(value, "SHORT_DATE_FORMAT")


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


class Council(models.Model):
    """A unit's user council. Every unit has one (the staff pages list units without)."""

    unit = models.OneToOneField(
        Unit, on_delete=models.PROTECT, related_name="council", verbose_name=_("unit")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("user council")
        verbose_name_plural = _("user councils")
        ordering = ["unit__name"]

    def __str__(self) -> str:
        return gettext("User council of %(unit)s") % {"unit": self.unit.name}

    def get_absolute_url(self) -> str:
        return reverse("councils:council", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("public_councils:council", args=[self.pk])

    @property
    def municipality_id(self) -> int:
        return self.unit.service_area.municipality_id


class Membership(models.Model):
    """One person's place on a council for one term: a representative, or someone who
    attends by office (the secretary, employees, a politician as ombudsperson)."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        REPRESENTATIVE = "representative", _("User representative")
        SECRETARY = "secretary", _("Secretary (unit manager)")
        EMPLOYEE = "employee", _("Employee from user-facing work")
        OMBUDSPERSON = "ombudsperson", _("Ombudsperson (politician)")

    class Represents(models.TextChoices):
        NONE = "", _("Not a user representative")
        USERS = "users", _("Users")
        RELATIVES = "relatives", _("Relatives or guardians")
        ORGANISATION = "organisation", _("A user organisation")

    class FilledBy(models.TextChoices):
        ELECTION = "election", _("Elected at the election meeting (allmøte)")
        BY_ELECTION = "by_election", _("By-election")
        APPOINTED = "appointed", _("Appointed")
        OFFICE = "office", _("By office")

    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("council")
    )
    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="council_memberships",
        verbose_name=_("Medvirk account"),
        help_text=_("Only if the person signs in to Medvirk; most members do not."),
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(
        _("e-mail"), blank=True, help_text=_("Notices and minutes are sent here.")
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    represents = models.CharField(
        _("represents"), max_length=20, choices=Represents.choices, blank=True, default=""
    )
    organisation_name = models.CharField(
        _("name of the user organisation"), max_length=150, blank=True
    )
    filled_by = models.CharField(
        _("how the place was filled"),
        max_length=20,
        choices=FilledBy.choices,
        default=FilledBy.ELECTION,
    )
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(
        _("term ends"),
        null=True,
        blank=True,
        help_text=_("The last day. Required for representatives; empty means until ended."),
    )
    training_on = models.DateField(
        _("training given"),
        null=True,
        blank=True,
        help_text=_(
            "When the person was trained in the role (new representatives are offered it)."
        ),
    )
    public_consent = models.BooleanField(
        _("name may be published"),
        default=False,
        help_text=_("Only with the person's consent is the name shown on the public page."),
    )
    public_consent_on = models.DateField(_("consent given"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    REPRESENTATIVE_ROLES = (Role.CHAIR, Role.REPRESENTATIVE)

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        ordering = ["role", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="membership_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=["chair", "representative"])
                | (Q(ends_on__isnull=False) & ~Q(represents="")),
                name="membership_representative_has_term_and_group",
            ),
            models.CheckConstraint(
                condition=~Q(represents="organisation") | ~Q(organisation_name=""),
                name="membership_organisation_named",
            ),
            models.CheckConstraint(
                condition=Q(public_consent=False) | Q(public_consent_on__isnull=False),
                name="membership_consent_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = gettext("The term must end on or after the day it starts.")
        if self.is_representative:
            if not self.represents:
                errors["represents"] = gettext(
                    "Say whom the representative speaks for: users, relatives or guardians, "
                    "or a user organisation."
                )
            if self.ends_on is None and "ends_on" not in errors:
                errors["ends_on"] = gettext("A representative is elected for a term: give its end.")
        else:
            self.represents = ""
        if self.represents == self.Represents.ORGANISATION and not self.organisation_name.strip():
            errors["organisation_name"] = gettext("Give the user organisation's name.")
        if self.represents != self.Represents.ORGANISATION:
            self.organisation_name = ""
        if self.public_consent and self.public_consent_on is None:
            self.public_consent_on = timezone.localdate()
        if not self.public_consent:
            self.public_consent_on = None
        if errors:
            raise ValidationError(errors)

    @property
    def is_representative(self) -> bool:
        return self.role in self.REPRESENTATIVE_ROLES

    def holds_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)

    @property
    def term_text(self) -> str:
        if self.ends_on is None:
            return gettext("from %(start)s") % {"start": short_date(self.starts_on)}
        return f"{short_date(self.starts_on)}–{short_date(self.ends_on)}"

    @property
    def represents_text(self) -> str:
        if self.represents == self.Represents.ORGANISATION:
            return f"{self.get_represents_display()}: {self.organisation_name}"
        return str(self.get_represents_display()) if self.represents else ""


class MeetingPlan(models.Model):
    """A council's meetings of one year (møteplan), drawn up by the secretary with the chair."""

    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="plans", verbose_name=_("council")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("meeting plan")
        verbose_name_plural = _("meeting plans")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["council", "year"], name="meeting_plan_year_unique"),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="meeting_plan_year_range"
            ),
        ]

    def __str__(self) -> str:
        return gettext("Meeting plan %(year)s") % {"year": self.year}

    def get_absolute_url(self) -> str:
        return reverse("councils:plan", args=[self.council_id, self.year])


class Meeting(models.Model):
    class Kind(models.TextChoices):
        COUNCIL = "council", _("Council meeting")
        OPEN_ASSEMBLY = "open_assembly", _("Open assembly for all users and relatives")
        DIALOGUE = "dialogue", _("Dialogue meeting with politicians")
        ELECTION = "election", _("Election meeting (allmøte)")
        NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood conference")

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        NOTICE_SENT = "notice_sent", _("Notice sent")
        HELD = "held", _("Held")
        MINUTES_APPROVED = "minutes_approved", _("Minutes approved")
        CANCELLED = "cancelled", _("Cancelled")

    # The kinds that count against the plan's meetings a year (the seed: "inntil fem møter
    # per år hvorav ett kan være et stormøte … ett av møtene er det årlige dialogmøte").
    COUNTED_KINDS = (Kind.COUNCIL, Kind.OPEN_ASSEMBLY, Kind.DIALOGUE)
    # The kinds open to people outside the council, who register to come.
    OPEN_KINDS = (Kind.OPEN_ASSEMBLY, Kind.DIALOGUE, Kind.ELECTION, Kind.NEIGHBOURHOOD)

    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("council")
    )
    plan = models.ForeignKey(
        MeetingPlan, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("plan")
    )
    kind = models.CharField(_("kind of meeting"), max_length=20, choices=Kind.choices)
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_("Optional, e.g. the theme of an open assembly."),
    )
    starts_at = models.DateTimeField(_("starts"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PLANNED
    )
    notice_sent_at = models.DateTimeField(_("notice sent"), null=True, blank=True)
    held_at = models.DateTimeField(_("minutes written"), null=True, blank=True)
    minutes_approved_at = models.DateTimeField(_("minutes approved"), null=True, blank=True)
    minutes_approved_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    outcome = models.TextField(
        _("what came out of the meeting"),
        blank=True,
        help_text=_("The main points, agreements and what happens next."),
    )
    participants = models.PositiveIntegerField(
        _("participants"),
        null=True,
        blank=True,
        help_text=_("How many came, for an open meeting (registered or not)."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("council meeting")
        verbose_name_plural = _("council meetings")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="planned")
                | Q(state="cancelled")
                | Q(notice_sent_at__isnull=False),
                name="meeting_notice_time_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["held", "minutes_approved"]) | Q(held_at__isnull=False),
                name="meeting_held_time_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(state="minutes_approved") | Q(minutes_approved_at__isnull=False),
                name="meeting_approval_time_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(state="cancelled") | Q(cancelled_at__isnull=False),
                name="meeting_cancel_time_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.heading} ({self.council.unit.name})"

    def get_absolute_url(self) -> str:
        return reverse("councils:meeting", args=[self.pk])

    def clean(self) -> None:
        if self.plan_id is not None and self.council_id is not None:
            if self.plan.council_id != self.council_id:
                raise ValidationError({"plan": gettext("Choose a plan of this council.")})
            if self.starts_at and timezone.localtime(self.starts_at).year != self.plan.year:
                raise ValidationError(
                    {
                        "starts_at": gettext(
                            "The meeting is on %(date)s, outside the %(year)s plan. Choose a "
                            "date in %(year)s, or make the plan for %(other)s first."
                        )
                        % {
                            "date": short_date(timezone.localdate(self.starts_at)),
                            "year": self.plan.year,
                            "other": timezone.localtime(self.starts_at).year,
                        }
                    }
                )

    @property
    def heading(self) -> str:
        title = self.title or self.get_kind_display()
        return f"{title} {short_date(timezone.localdate(self.starts_at))}"

    @property
    def is_locked(self) -> bool:
        return self.state == self.State.MINUTES_APPROVED

    @property
    def counts_in_plan(self) -> bool:
        return self.kind in self.COUNTED_KINDS and self.state != self.State.CANCELLED

    @property
    def takes_registrations(self) -> bool:
        return self.kind in self.OPEN_KINDS

    @property
    def was_held(self) -> bool:
        return self.state in (self.State.HELD, self.State.MINUTES_APPROVED)


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


class Attendance(models.Model):
    """Whether a member came to a meeting, sent apologies (forfall), or neither."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        APOLOGY = "apology", _("Sent apologies")
        ABSENT = "absent", _("Absent without notice")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["membership__role", "membership__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "membership"], name="attendance_once_per_meeting"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership.name}: {self.get_status_display()}"


class Registration(models.Model):
    """Someone outside the council who signed up for an open meeting: an open assembly, a
    dialogue meeting with politicians, an election meeting or a neighbourhood conference."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("name"), max_length=150)
    affiliation = models.CharField(
        _("comes as"),
        max_length=150,
        blank=True,
        help_text=_("E.g. relative, neighbour, member of the HSO committee, volunteer centre."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    attended = models.BooleanField(_("came"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["registered_at", "pk"]

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    """The papers of a meeting sent to one member by e-mail, or why they were not."""

    class Papers(models.TextChoices):
        NOTICE = "notice", _("Notice")
        MINUTES = "minutes", _("Minutes")

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Could not be delivered")
        NO_ADDRESS = "no_address", _("No e-mail address")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="deliveries")
    papers = models.CharField(max_length=10, choices=Papers.choices)
    membership = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=150)
    email = models.CharField(max_length=254, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "name"]

    def __str__(self) -> str:
        return f"{self.get_papers_display()} → {self.name}: {self.get_status_display()}"


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
