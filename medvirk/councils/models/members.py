"""The people on a council and their terms."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from medvirk.organisation.models import User

from ._format import short_date
from .councils import Council


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
