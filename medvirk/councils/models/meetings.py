"""A council's meeting plans, its meetings, who attended or registered, and the papers
sent to each member."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from medvirk.organisation.models import User

from ._format import short_date
from .councils import Council
from .members import Membership


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

    # The background task that sends a meeting's papers (councils/tasks.py) and makes these.
    TASK = "councils.send_papers"

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
