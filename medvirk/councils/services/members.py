"""The members of a council and their terms: at most so many representatives and
chairs at once, terms of at most the settings' years that never overlap for one person."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from medvirk.organisation import audit
from medvirk.organisation.models import User

from .. import selectors, terms
from ..models import Council, CouncilSettings, Membership, short_date
from ._common import _audit, _municipality, _only

MEMBER_FIELDS = (
    "user",
    "name",
    "email",
    "phone",
    "role",
    "represents",
    "organisation_name",
    "filled_by",
    "starts_on",
    "ends_on",
    "training_on",
    "public_consent",
    "public_consent_on",
)


def _same_person(a: Membership, b: Membership) -> bool:
    if a.user_id is not None and a.user_id == b.user_id:
        return True
    return " ".join(a.name.split()).casefold() == " ".join(b.name.split()).casefold()


def _term(membership: Membership) -> terms.Term:
    return terms.Term(membership.starts_on, membership.ends_on)


def _check_term(membership: Membership, settings: CouncilSettings) -> None:
    """The limits of the settings on one membership, against the council's others."""
    others = [
        other
        for other in Membership.objects.filter(council_id=membership.council_id)
        if other.pk != membership.pk
    ]
    term = _term(membership)
    _check_term_length(membership, settings)
    _check_no_overlap(membership, term, others)
    if membership.is_representative:
        _check_free_place(membership, term, others, settings)


def _check_term_length(membership: Membership, settings: CouncilSettings) -> None:
    if not membership.is_representative or membership.ends_on is None:
        return
    latest = terms.term_end(membership.starts_on, settings.term_years)
    if membership.ends_on > latest:
        raise ValidationError(
            {
                "ends_on": _(
                    "A representative is elected for %(years)s years at a time: a term "
                    "that starts on %(start)s ends on %(end)s at the latest."
                )
                % {
                    "years": settings.term_years,
                    "start": short_date(membership.starts_on),
                    "end": short_date(latest),
                }
            },
            code="term_too_long",
        )


def _check_no_overlap(membership: Membership, term: terms.Term, others: list[Membership]) -> None:
    for other in others:
        if _same_person(other, membership) and _term(other).overlaps(term):
            raise ValidationError(
                {
                    "starts_on": _(
                        "%(name)s is already on the council %(term)s (%(role)s). One person's "
                        "terms may not overlap: end that term first, or let this one start "
                        "after it."
                    )
                    % {
                        "name": other.name,
                        "term": other.term_text,
                        "role": other.get_role_display(),
                    }
                },
                code="overlapping_terms",
            )


def _check_free_place(
    membership: Membership, term: terms.Term, others: list[Membership], settings: CouncilSettings
) -> None:
    """A representative's place, and a chair's, must be free on every day of the term."""
    representatives = [_term(o) for o in others if o.is_representative]
    held, day = terms.busiest_day(representatives, term)
    if held >= settings.max_representatives:
        raise ValidationError(
            _(
                "The council already has %(max)s user representatives on %(date)s, the chair "
                "included: the most its rules allow. End a term first, or let this one start "
                "when a place is free."
            )
            % {"max": settings.max_representatives, "date": short_date(day)},
            code="too_many_representatives",
        )
    if membership.role == Membership.Role.CHAIR:
        chairs = [o for o in others if o.role == Membership.Role.CHAIR]
        held, day = terms.busiest_day([_term(o) for o in chairs], term)
        if held >= settings.max_chairs:
            names = ", ".join(o.name for o in chairs if o.holds_on(day))
            raise ValidationError(
                {
                    "role": _(
                        "The council already has a chair on %(date)s: %(names)s. End that "
                        "term first, or make this person a user representative."
                    )
                    % {"date": short_date(day), "names": names}
                },
                code="too_many_chairs",
            )


def _lock_council(council: Council) -> Council:
    return (
        Council.objects.select_for_update().select_related("unit__service_area").get(pk=council.pk)
    )


@transaction.atomic
def membership_add(*, actor: User | None, council: Council, data: Mapping[str, Any]) -> Membership:
    """Put someone on the council. A representative's term ends after the settings' years
    unless an earlier end is given."""
    _only(data, MEMBER_FIELDS, "membership_add")
    council = _lock_council(council)
    settings = selectors.settings_for(_municipality(council))
    membership = Membership(council=council, **data)
    if (
        membership.role in Membership.REPRESENTATIVE_ROLES
        and membership.ends_on is None
        and membership.starts_on is not None
    ):
        membership.ends_on = terms.term_end(membership.starts_on, settings.term_years)
    membership.full_clean()
    _check_term(membership, settings)
    membership.save()
    _audit(
        actor,
        council,
        "council.member_add",
        membership,
        audit.created(
            audit.snapshot(membership, ("name", "role", "starts_on", "ends_on", "public_consent"))
        ),
    )
    return membership


@transaction.atomic
def membership_update(
    *, actor: User | None, membership: Membership, data: Mapping[str, Any]
) -> Membership:
    _only(data, MEMBER_FIELDS, "membership_update")
    council = _lock_council(membership.council)
    settings = selectors.settings_for(_municipality(council))
    stored = Membership.objects.get(pk=membership.pk)
    before = audit.snapshot(stored, MEMBER_FIELDS)
    for name, value in data.items():
        setattr(stored, name, value)
    stored.full_clean()
    _check_term(stored, settings)
    stored.save()
    changes = audit.changes(before, audit.snapshot(stored, MEMBER_FIELDS))
    if changes:
        _audit(actor, council, "council.member_update", stored, changes)
    return stored


@transaction.atomic
def membership_end(*, actor: User | None, membership: Membership, ends_on: date) -> Membership:
    """End a term early (a representative moves, an employee changes job). History stays."""
    stored = Membership.objects.select_for_update().get(pk=membership.pk)
    if ends_on < stored.starts_on:
        raise ValidationError(
            {
                "ends_on": _("The term started on %(date)s; it cannot end before that.")
                % {"date": short_date(stored.starts_on)}
            }
        )
    if stored.ends_on is not None and ends_on > stored.ends_on:
        raise ValidationError(
            {
                "ends_on": _(
                    "The term already ends on %(date)s. To extend it, edit the member instead."
                )
                % {"date": short_date(stored.ends_on)}
            }
        )
    before = audit.shown(stored.ends_on)
    stored.ends_on = ends_on
    stored.full_clean()
    stored.save(update_fields=["ends_on"])
    _audit(
        actor,
        stored.council,
        "council.member_end",
        stored,
        {"ends_on": [before, audit.shown(ends_on)]},
    )
    return stored
