"""Who is on a council on a day, and what its page warns about them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import terms
from ..models import Council, CouncilSettings, Membership, short_date

# The order members are listed in: the chair, the representatives, then those by office.
ROLE_ORDER = {role: number for number, role in enumerate(Membership.Role.values)}


def _ordered(memberships: Iterable[Membership]) -> list[Membership]:
    return sorted(memberships, key=lambda m: (ROLE_ORDER.get(m.role, 99), m.name))


def members_on(council: Council, day: date) -> list[Membership]:
    return _ordered(m for m in council.memberships.select_related("user") if m.holds_on(day))


def members_past(council: Council, day: date) -> list[Membership]:
    return list(council.memberships.filter(ends_on__lt=day).order_by("-ends_on", "name"))


def members_coming(council: Council, day: date) -> list[Membership]:
    return list(council.memberships.filter(starts_on__gt=day).order_by("starts_on", "name"))


@dataclass
class CouncilStatus:
    """What a council's page says about its members on one day."""

    day: date
    members: list[Membership]
    representatives: list[Membership]
    vacancies: int
    ending_soon: list[Membership] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def council_status(
    council: Council, *, settings: CouncilSettings, day: date | None = None
) -> CouncilStatus:
    day = day or timezone.localdate()
    members = members_on(council, day)
    representatives = [m for m in members if m.is_representative]
    vacancies = max(0, settings.max_representatives - len(representatives))
    horizon = terms.add_months(day, settings.term_warning_months)
    coming = members_coming(council, day)
    successors = {m.name.casefold() for m in coming}
    ending = [
        m
        for m in representatives
        if m.ends_on is not None and m.ends_on <= horizon and m.name.casefold() not in successors
    ]
    status = CouncilStatus(day, members, representatives, vacancies, ending)
    status.warnings += _composition_warnings(members, representatives, vacancies, settings)
    status.warnings += [
        _(
            "%(name)s's term ends on %(date)s. Invite users, relatives and user "
            "organisations to an election meeting (allmøte) in time."
        )
        % {"name": member.name, "date": short_date(member.ends_on)}
        for member in ending
        if member.ends_on is not None  # always, as filtered above; for the type checker
    ]
    return status


def _composition_warnings(
    members: list[Membership],
    representatives: list[Membership],
    vacancies: int,
    settings: CouncilSettings,
) -> list[str]:
    """What the council's make-up lacks or has too much of, by the settings and the rules."""
    warnings: list[str] = []
    warn = warnings.append
    chairs = [m for m in representatives if m.role == Membership.Role.CHAIR]
    if vacancies:
        warn(
            ngettext(
                "%(n)s place for a user representative is vacant (the council may have %(max)s).",
                "%(n)s places for user representatives are vacant (the council may have %(max)s).",
                vacancies,
            )
            % {"n": vacancies, "max": settings.max_representatives}
        )
    if len(representatives) > settings.max_representatives:
        warn(
            _(
                "The council has %(n)s user representatives; the settings allow %(max)s. End "
                "a term before adding anyone."
            )
            % {"n": len(representatives), "max": settings.max_representatives}
        )
    if not chairs:
        warn(_("The council has no chair. Make one of the user representatives the chair."))
    if not any(m.role == Membership.Role.SECRETARY for m in members):
        warn(_("No secretary is registered. The unit manager is the council's secretary."))
    employees = sum(1 for m in members if m.role == Membership.Role.EMPLOYEE)
    if employees < settings.staff_members:
        warn(
            _("%(n)s of the %(wanted)s employees from user-facing work who attend are registered.")
            % {"n": employees, "wanted": settings.staff_members}
        )
    organisations = sum(
        1 for m in representatives if m.represents == Membership.Represents.ORGANISATION
    )
    if organisations and organisations > len(representatives) - organisations:
        warn(
            _(
                "More representatives come from user organisations than from users and "
                "relatives; the rules put users and relatives first."
            )
        )
    untrained = [m.name for m in representatives if m.training_on is None]
    if untrained:
        warn(
            _("Not yet trained in the role: %(names)s. New representatives are offered training.")
            % {"names": ", ".join(untrained)}
        )
    return warnings
