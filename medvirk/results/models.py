"""Results of a survey round: aggregated figures per group, stored once they are computed.

A ``ResultSet`` is a round's results; a ``ResultCell`` is one group's figures: a unit, a
district, the whole service area, or everyone with one service across the area, for users
or for relatives. A cell holds only additive sums (counts per scale point, sums of scores
and of their squares), from which pages work out means, intervals and shares; and it holds
them only where they may be shown. A group below the municipality's smallest group, or one
whose figures would let someone work out such a group's (see disclosure.py), has no figures
stored at all: no page, export or query can show what is not there.

Comments are screened in ``CommentReview`` before anyone reads them.
"""

from __future__ import annotations

from functools import cached_property

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from medvirk.organisation.models import District, ServiceType, Unit, User
from medvirk.surveys.models import Audience, ResponseText, Round


class ResultSet(models.Model):
    class State(models.TextChoices):
        PRELIMINARY = "preliminary", _("Preliminary (the round is still open)")
        READY = "ready", _("Ready to publish")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    round = models.OneToOneField(
        Round, on_delete=models.CASCADE, related_name="result_set", verbose_name=_("round")
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices)
    min_n = models.PositiveSmallIntegerField(_("smallest group shown"))
    compared_with = models.ForeignKey(
        Round,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("compared with"),
    )
    responses = models.PositiveIntegerField(_("responses"), default=0)
    # Which disclosure control computed these figures (disclosure.VERSION). Results computed
    # by an older one are recomputed by the worker's housekeeping (services.compute_due).
    protection = models.PositiveSmallIntegerField(_("disclosure control version"), default=1)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)
    computed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("results")
        verbose_name_plural = _("results")
        ordering = ["-round__opens_at"]
        constraints = [
            models.CheckConstraint(condition=Q(min_n__gte=3), name="result_set_min_n_floor"),
        ]

    def __str__(self) -> str:
        return str(self.round)

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    @cached_property
    def comparison_state(self) -> str:
        """The state of the results these are compared with ("" if there are none)."""
        if self.compared_with_id is None:
            return ""
        found = ResultSet.objects.filter(round_id=self.compared_with_id).values_list(
            "state", flat=True
        )
        return next(iter(found), "")


class Level(models.TextChoices):
    AREA = "area", _("Whole service area")
    DISTRICT = "district", _("District")
    UNIT = "unit", _("Unit")
    SERVICE = "service", _("Service across the area")


class Suppressed(models.TextChoices):
    NO = "", _("Shown")
    PRIMARY = "primary", _("Too few respondents")
    SECONDARY = "secondary", _("Hidden so that a small group cannot be worked out")


class ResultCell(models.Model):
    """One group's figures in one round, for users or for relatives.

    ``key`` names the group the same way in every round ("area", "unit-17",
    "district-3", "service-5", "service-none"), so a round finds the previous one's cell.
    ``figures`` is empty for a suppressed group; where a group is shown, a statement or
    section whose own answers are too few (or would give one away) is marked suppressed
    inside it instead of holding sums. See compute.py for its shape.
    """

    result_set = models.ForeignKey(ResultSet, on_delete=models.CASCADE, related_name="cells")
    audience = models.CharField(_("respondents"), max_length=10, choices=Audience.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    key = models.CharField(max_length=40)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    invited = models.PositiveIntegerField(_("invited"), null=True, blank=True)
    responses = models.PositiveIntegerField(_("responses"))
    suppressed = models.CharField(
        _("shown"), max_length=10, choices=Suppressed.choices, blank=True, default=""
    )
    figures = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("result cell")
        verbose_name_plural = _("result cells")
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["result_set", "audience", "key"], name="result_cell_unique"
            ),
            # What the disclosure rule promises, held by the database too.
            models.CheckConstraint(
                condition=Q(suppressed="") | Q(figures__isnull=True),
                name="result_cell_suppressed_has_no_figures",
            ),
        ]
        indexes = [models.Index(fields=["result_set", "audience", "level"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_audience_display()})"

    @property
    def is_shown(self) -> bool:
        """Whether the group has figures to show: not hidden, and someone answered."""
        return self.suppressed == Suppressed.NO and self.figures is not None and self.responses > 0


class CommentReview(models.Model):
    """A quality adviser's decision on one free-text answer before anyone else reads it.

    Created unscreened when results are computed, with the personal data Medvirk found in
    the text (``flags``). Only approved comments are shown, redacted where the adviser
    redacted them, and only for groups large enough to be shown at all.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Not screened")
        APPROVED = "approved", _("Approved")
        REDACTED = "redacted", _("Approved with parts removed")
        REJECTED = "rejected", _("Rejected")

    text = models.OneToOneField(ResponseText, on_delete=models.CASCADE, related_name="review")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="comment_reviews")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    flags = models.JSONField(_("personal data found"), default=list, blank=True)
    shown_text = models.TextField(_("text as shown"), blank=True)
    reviewed_at = models.DateTimeField(_("screened"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("comment review")
        verbose_name_plural = _("comment reviews")
        indexes = [
            models.Index(fields=["round", "state"]),
            # The public pages' cache asks for the round's latest decision on every request.
            models.Index(fields=["round", "reviewed_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state__in=["approved", "redacted"]) | ~Q(shown_text=""),
                name="comment_review_shown_text_when_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"comment in {self.round_id}"

    @property
    def is_shown(self) -> bool:
        return self.state in (self.State.APPROVED, self.State.REDACTED)
