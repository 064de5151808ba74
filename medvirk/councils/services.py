"""Every write to the councils, each one atomic, validated and written to the audit log.

Staff pages, management commands and the demo all come through here. Functions take
keyword arguments only and are named ``<entity>_<verb>``; ``actor`` is the staff user
doing it, or ``None`` for the system (commands, the demo).

The rules that depend on the municipality's settings are checked here with a message that
says what to do: at most five user representatives at once (the chair among them), one
chair, terms of at most two years that never overlap for one person, at most five meetings
in a year's plan (one of them an open assembly), each meeting inside its plan's year. A
meeting's state changes only forwards, and once its minutes are approved nothing in it
changes.

Papers go to the members by e-mail after the transaction commits (``transaction.on_commit``);
each recipient's delivery is recorded, so an address that bounces is shown on the meeting's
page and the others still get theirs.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime
from functools import partial
from typing import Any

from django.core import mail
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medvirk.organisation.models import Municipality, Unit, User
from medvirk.organisation.services import audit_record
from medvirk.results.models import Level, ResultCell, ResultSet

from . import defaults, screening, selectors, terms
from .models import (
    AgendaItem,
    Attendance,
    Council,
    CouncilSettings,
    Delivery,
    ImprovementAction,
    Meeting,
    MeetingPlan,
    Membership,
    Registration,
    short_date,
)

logger = logging.getLogger(__name__)


SETTINGS_FIELDS = (
    "max_representatives",
    "max_chairs",
    "term_years",
    "term_warning_months",
    "max_meetings",
    "max_open_assemblies",
    "dialogue_meetings",
    "staff_members",
    "notice_days",
    "themes",
    "rules",
)
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
MEETING_FIELDS = ("kind", "title", "starts_at", "place")
ITEM_FIELDS = ("title", "theme", "description", "proposal")
# The texts of an item that are screened for individual cases.
SCREENED = ("title", "description", "proposal", "discussion", "resolution")
ACTION_FIELDS = (
    "title",
    "description",
    "round",
    "audience",
    "statement_keys",
    "feedback_theme",
    "owner",
    "due_on",
    "status",
    "council_advice",
    "advice_item",
)

# Every council meeting opens with these (the first items of a Norwegian saksliste).
STANDING_ITEMS: dict[str, tuple[str, ...]] = {
    Meeting.Kind.COUNCIL: (
        AgendaItem.Kind.NOTICE_APPROVAL,
        AgendaItem.Kind.MINUTES_APPROVAL,
        AgendaItem.Kind.ORIENTATIONS,
    ),
    Meeting.Kind.OPEN_ASSEMBLY: (AgendaItem.Kind.NOTICE_APPROVAL, AgendaItem.Kind.ORIENTATIONS),
    Meeting.Kind.DIALOGUE: (AgendaItem.Kind.NOTICE_APPROVAL,),
    Meeting.Kind.ELECTION: (AgendaItem.Kind.NOTICE_APPROVAL,),
    Meeting.Kind.NEIGHBOURHOOD: (),
}
# What the minutes usually say under the standing items (offered, never required).
STANDING_RESOLUTIONS: dict[str, Promise] = {
    AgendaItem.Kind.NOTICE_APPROVAL: gettext_lazy("The notice and the agenda were approved."),
    AgendaItem.Kind.MINUTES_APPROVAL: gettext_lazy(
        "The minutes of the last meeting were approved."
    ),
    AgendaItem.Kind.ORIENTATIONS: gettext_lazy("The council took the orientations into account."),
}


# --- small helpers ----------------------------------------------------------------------


def _shown(value: object) -> object:
    """A value as the audit log keeps it: JSON-friendly and readable later."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value)


def _snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, object]:
    return {name: _shown(getattr(instance, name)) for name in fields}


def _changes(before: Mapping[str, object], after: Mapping[str, object]) -> dict[str, object]:
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def _created(after: Mapping[str, object]) -> dict[str, object]:
    return {name: [None, value] for name, value in after.items() if value not in ("", None, [])}


def _municipality(council: Council) -> Municipality:
    return council.unit.service_area.municipality


def _audit(
    actor: User | None,
    council: Council,
    action: str,
    target: models.Model,
    changes: Mapping[str, object] | None = None,
) -> None:
    audit_record(
        actor=actor,
        municipality=_municipality(council),
        action=action,
        target=target,
        changes=changes,
    )


def _only(data: Mapping[str, Any], allowed: Iterable[str], what: str) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"cannot set {sorted(unknown)} with {what}")


def _locked_meeting(meeting: Meeting) -> Meeting:
    """The meeting's row, locked for this transaction, refused if its minutes are approved."""
    stored = (
        Meeting.objects.select_for_update()
        .select_related("plan", "council__unit")
        .get(pk=meeting.pk)
    )
    if stored.is_locked:
        raise ValidationError(
            _(
                "The minutes of this meeting are approved and locked; nothing in the meeting "
                "can change. Put new matters on a later meeting's agenda."
            ),
            code="locked",
        )
    return stored


def _refuse_cancelled(meeting: Meeting) -> None:
    if meeting.state == Meeting.State.CANCELLED:
        raise ValidationError(_("The meeting is cancelled."), code="cancelled")


# --- settings and councils ------------------------------------------------------------


def council_settings_create(*, municipality: Municipality) -> CouncilSettings:
    """A new municipality's council settings: the seed's rules, until an administrator
    changes them. Called where the municipality is made, so reading them never writes."""
    created = CouncilSettings(municipality=municipality)
    created.full_clean()
    created.save()
    return created


@transaction.atomic
def council_settings_update(
    *, actor: User | None, municipality: Municipality, data: Mapping[str, Any]
) -> CouncilSettings:
    _only(data, SETTINGS_FIELDS, "council_settings_update")
    found = selectors.settings_for(municipality)
    stored = CouncilSettings.objects.select_for_update().get(pk=found.pk)
    before = _snapshot(stored, SETTINGS_FIELDS)
    for name, value in data.items():
        setattr(stored, name, value)
    stored.updated_at = timezone.now()
    stored.full_clean()
    stored.save()
    changes = _changes(before, _snapshot(stored, SETTINGS_FIELDS))
    if changes:
        audit_record(
            actor=actor,
            municipality=municipality,
            action="council.settings_update",
            target=stored,
            changes=changes,
        )
    return stored


@transaction.atomic
def council_create(*, actor: User | None, unit: Unit) -> Council:
    if Council.objects.filter(unit=unit).exists():
        raise ValidationError(
            _("%(unit)s already has a user council.") % {"unit": unit.name}, code="exists"
        )
    if not unit.is_active:
        raise ValidationError(
            _("%(unit)s is inactive; an inactive unit gets no new council.") % {"unit": unit.name}
        )
    council = Council(unit=unit)
    council.full_clean()
    council.save()
    _audit(actor, council, "council.create", council, {"unit": [None, unit.name]})
    return council


@transaction.atomic
def councils_create_missing(*, actor: User | None, units: Iterable[Unit]) -> list[Council]:
    """A council for each of ``units`` that has none."""
    return [
        council_create(actor=actor, unit=unit)
        for unit in units
        if unit.is_active and not Council.objects.filter(unit=unit).exists()
    ]


# --- members and terms ----------------------------------------------------------------


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
    if membership.is_representative and membership.ends_on is not None:
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
    if not membership.is_representative:
        return
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
        _created(_snapshot(membership, ("name", "role", "starts_on", "ends_on", "public_consent"))),
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
    before = _snapshot(stored, MEMBER_FIELDS)
    for name, value in data.items():
        setattr(stored, name, value)
    stored.full_clean()
    _check_term(stored, settings)
    stored.save()
    changes = _changes(before, _snapshot(stored, MEMBER_FIELDS))
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
    before = _shown(stored.ends_on)
    stored.ends_on = ends_on
    stored.full_clean()
    stored.save(update_fields=["ends_on"])
    _audit(
        actor, stored.council, "council.member_end", stored, {"ends_on": [before, _shown(ends_on)]}
    )
    return stored


# --- plans and meetings ---------------------------------------------------------------


@transaction.atomic
def meeting_plan_create(
    *, actor: User | None, council: Council, year: int, note: str = ""
) -> MeetingPlan:
    if MeetingPlan.objects.filter(council=council, year=year).exists():
        raise ValidationError(
            {"year": _("The council already has a plan for %(year)s.") % {"year": year}},
            code="exists",
        )
    plan = MeetingPlan(council=council, year=year, note=note)
    plan.full_clean()
    plan.save()
    _audit(actor, council, "council.plan_create", plan, {"year": [None, year]})
    return plan


def _check_in_plan(meeting: Meeting, settings: CouncilSettings) -> None:
    plan = meeting.plan
    if meeting.starts_at and timezone.localtime(meeting.starts_at).year != plan.year:
        meeting.clean()  # says which year, with the message the model gives
    if not meeting.counts_in_plan:
        return
    others = [
        m
        for m in Meeting.objects.filter(plan=plan).exclude(state=Meeting.State.CANCELLED)
        if m.pk != meeting.pk and m.counts_in_plan
    ]
    if len(others) >= settings.max_meetings:
        raise ValidationError(
            _(
                "The %(year)s plan already has %(max)s meetings, the most the rules allow in a "
                "year (council meetings, open assemblies and dialogue meetings together). "
                "Cancel one first, or choose an election meeting or a neighbourhood "
                "conference, which are not counted."
            )
            % {"year": plan.year, "max": settings.max_meetings},
            code="too_many_meetings",
        )
    if meeting.kind == Meeting.Kind.OPEN_ASSEMBLY:
        assemblies = [m for m in others if m.kind == Meeting.Kind.OPEN_ASSEMBLY]
        if len(assemblies) >= settings.max_open_assemblies:
            raise ValidationError(
                {
                    "kind": _(
                        "The %(year)s plan already has %(n)s open assemblies; the rules allow "
                        "%(max)s a year. Make this an ordinary council meeting."
                    )
                    % {
                        "year": plan.year,
                        "n": len(assemblies),
                        "max": settings.max_open_assemblies,
                    }
                },
                code="too_many_open_assemblies",
            )


def _next_number(council: Council, year: int) -> int:
    highest = AgendaItem.objects.filter(council=council, year=year).aggregate(Max("number"))
    return (highest["number__max"] or 0) + 1


@transaction.atomic
def meeting_create(
    *,
    actor: User | None,
    plan: MeetingPlan,
    kind: str,
    starts_at: datetime,
    place: str = "",
    title: str = "",
) -> Meeting:
    """Plan a meeting in a year's plan, with the standing items its agenda opens with."""
    plan = MeetingPlan.objects.select_for_update().select_related("council__unit").get(pk=plan.pk)
    council = plan.council
    settings = selectors.settings_for(_municipality(council))
    meeting = Meeting(
        council=council, plan=plan, kind=kind, starts_at=starts_at, place=place, title=title
    )
    meeting.full_clean()
    _check_in_plan(meeting, settings)
    meeting.save()
    for number, item_kind in enumerate(
        STANDING_ITEMS.get(kind, ()), start=_next_number(council, plan.year)
    ):
        AgendaItem.objects.create(
            meeting=meeting, council=council, year=plan.year, number=number, kind=item_kind
        )
    _audit(
        actor,
        council,
        "council.meeting_create",
        meeting,
        _created(_snapshot(meeting, MEETING_FIELDS)),
    )
    return meeting


@transaction.atomic
def meeting_update(*, actor: User | None, meeting: Meeting, data: Mapping[str, Any]) -> Meeting:
    _only(data, MEETING_FIELDS, "meeting_update")
    stored = _locked_meeting(meeting)
    _refuse_cancelled(stored)
    if stored.was_held and ({"kind", "starts_at"} & set(data)):
        changed = [
            name
            for name in ("kind", "starts_at")
            if name in data and data[name] != getattr(stored, name)
        ]
        if changed:
            raise ValidationError(
                _("The meeting has been held; its time and kind can no longer change.")
            )
    before = _snapshot(stored, MEETING_FIELDS)
    for name, value in data.items():
        setattr(stored, name, value)
    stored.full_clean()
    _check_in_plan(stored, selectors.settings_for(_municipality(stored.council)))
    stored.save()
    changes = _changes(before, _snapshot(stored, MEETING_FIELDS))
    if changes:
        _audit(actor, stored.council, "council.meeting_update", stored, changes)
    return stored


@transaction.atomic
def meeting_cancel(*, actor: User | None, meeting: Meeting) -> Meeting:
    stored = _locked_meeting(meeting)
    if stored.state not in (Meeting.State.PLANNED, Meeting.State.NOTICE_SENT):
        raise ValidationError(_("A meeting that has been held cannot be cancelled."), code="held")
    before = stored.state
    stored.state = Meeting.State.CANCELLED
    stored.cancelled_at = timezone.now()
    stored.save(update_fields=["state", "cancelled_at"])
    _audit(
        actor, stored.council, "council.meeting_cancel", stored, {"state": [before, stored.state]}
    )
    return stored


# --- the agenda -----------------------------------------------------------------------


def _screen(item: AgendaItem) -> None:
    """Flag the item's texts again; a confirmation holds only for the flags it confirmed."""
    found = screening.screen({name: getattr(item, name) for name in SCREENED})
    if found != item.flags:
        item.flags = found
        item.flags_confirmed_at = None
        item.flags_confirmed_by = None
        item.flags_confirmation = ""


def _check_theme(theme: str, settings: CouncilSettings) -> None:
    if theme and theme not in settings.theme_list:
        raise ValidationError(
            {"theme": _("Choose one of the themes of the council settings.")}, code="theme"
        )


def _open_agenda(meeting: Meeting) -> None:
    _refuse_cancelled(meeting)
    if meeting.was_held:
        raise ValidationError(
            _(
                "The meeting has been held; its agenda can no longer change. Put the matter "
                "on the next meeting's agenda."
            ),
            code="held",
        )


@transaction.atomic
def agenda_item_add(
    *,
    actor: User | None,
    meeting: Meeting,
    title: str,
    theme: str = "",
    description: str = "",
    proposal: str = "",
) -> AgendaItem:
    """An item for the council's advice, numbered next in the council's year: 4/2026."""
    stored = _locked_meeting(meeting)
    _open_agenda(stored)
    settings = selectors.settings_for(_municipality(stored.council))
    _check_theme(theme, settings)
    item = AgendaItem(
        meeting=stored,
        council=stored.council,
        year=stored.plan.year,
        number=_next_number(stored.council, stored.plan.year),
        kind=AgendaItem.Kind.ITEM,
        title=title.strip(),
        theme=theme,
        description=description.strip(),
        proposal=proposal.strip(),
    )
    _screen(item)
    item.full_clean()
    item.save()
    _audit(
        actor,
        stored.council,
        "council.item_add",
        item,
        _created({"number": item.label, **_snapshot(item, ITEM_FIELDS)}),
    )
    return item


@transaction.atomic
def agenda_item_update(
    *, actor: User | None, item: AgendaItem, data: Mapping[str, Any]
) -> AgendaItem:
    _only(data, ITEM_FIELDS, "agenda_item_update")
    meeting = _locked_meeting(item.meeting)
    _open_agenda(meeting)
    stored = AgendaItem.objects.get(pk=item.pk)
    if "theme" in data:
        _check_theme(data["theme"], selectors.settings_for(_municipality(meeting.council)))
    before = _snapshot(stored, ITEM_FIELDS)
    for name, value in data.items():
        setattr(stored, name, value.strip() if isinstance(value, str) else value)
    _screen(stored)
    stored.full_clean()
    stored.save()
    changes = _changes(before, _snapshot(stored, ITEM_FIELDS))
    if changes:
        _audit(actor, meeting.council, "council.item_update", stored, changes)
    return stored


@transaction.atomic
def agenda_item_delete(*, actor: User | None, item: AgendaItem) -> None:
    """Take an item off a meeting whose notice has not gone out. Standing items stay.

    Later items of the year move up a number when none of them has been sent out yet, so
    the numbers stay without gaps.
    """
    meeting = _locked_meeting(item.meeting)
    if meeting.state != Meeting.State.PLANNED:
        raise ValidationError(
            _(
                "The notice with this item has been sent; it cannot be removed. Say in the "
                "minutes that it was withdrawn."
            ),
            code="noticed",
        )
    stored = AgendaItem.objects.get(pk=item.pk)
    if stored.is_standing:
        raise ValidationError(_("Standing items are on every agenda and cannot be removed."))
    _audit(
        actor,
        meeting.council,
        "council.item_delete",
        stored,
        {"number": [stored.label, None], "title": [stored.title, None]},
    )
    number, council, year = stored.number, stored.council_id, stored.year
    stored.delete()
    later = list(
        AgendaItem.objects.filter(council_id=council, year=year, number__gt=number)
        .select_related("meeting")
        .order_by("number")
    )
    if all(other.meeting.state == Meeting.State.PLANNED for other in later):
        for other in later:
            other.number -= 1
            other.save(update_fields=["number"])


@transaction.atomic
def agenda_item_confirm(*, actor: User | None, item: AgendaItem, note: str) -> AgendaItem:
    """The secretary's word that a flagged item is about the service in general."""
    meeting = _locked_meeting(item.meeting)
    stored = AgendaItem.objects.get(pk=item.pk)
    if not stored.flags:
        raise ValidationError(_("Nothing in this item needs confirming."))
    if not note.strip():
        raise ValidationError(
            {
                "note": _(
                    "Say why the item is about the service in general and not about one "
                    "person, or rewrite the item instead."
                )
            },
            code="required",
        )
    stored.flags_confirmed_at = timezone.now()
    stored.flags_confirmed_by = actor
    stored.flags_confirmation = note.strip()
    stored.save(update_fields=["flags_confirmed_at", "flags_confirmed_by", "flags_confirmation"])
    _audit(
        actor,
        meeting.council,
        "council.item_confirm",
        stored,
        {"flags": [None, [str(flag["kind"]) for flag in stored.flags]], "note": [None, note]},
    )
    return stored


@transaction.atomic
def agenda_item_attach_results(
    *,
    actor: User | None,
    item: AgendaItem,
    cell: ResultCell,
    statement_keys: Collection[str],
) -> AgendaItem:
    """Put a unit's survey figures with an item: the chosen statements of one round.

    Never a hidden group's: its figures are not stored, and what is not stored cannot be
    attached.
    """
    meeting = _locked_meeting(item.meeting)
    _open_agenda(meeting)
    if cell.level != Level.UNIT or cell.unit_id != meeting.council.unit_id:
        raise ValidationError(_("Choose the survey results of this council's own unit."))
    result_set = cell.result_set
    if result_set.state not in (ResultSet.State.READY, ResultSet.State.PUBLISHED):
        raise ValidationError(
            _("These results are not ready; only a closed round's results can go on an agenda.")
        )
    if not cell.is_shown:
        raise ValidationError(
            _(
                "The unit's results in %(round)s are hidden because too few answered, so no "
                "figures can go with the item: they could show someone's answers."
            )
            % {"round": result_set.round.name},
            code="suppressed",
        )
    spec = result_set.round.questionnaire_for(is_relative=cell.audience == "relatives").spec
    known = [s.key for s in spec.statements]
    chosen = [key for key in known if key in set(statement_keys)]
    if not chosen or len(chosen) != len(set(statement_keys)):
        raise ValidationError(
            {"statements": _("Choose one or more statements of the questionnaire.")},
            code="statements",
        )
    stored = AgendaItem.objects.get(pk=item.pk)
    stored.results_round = result_set.round
    stored.results_audience = cell.audience
    stored.results_key = cell.key
    stored.statement_keys = chosen
    settings = selectors.settings_for(_municipality(meeting.council))
    if not stored.theme and defaults.SURVEY_THEME in settings.theme_list:
        stored.theme = defaults.SURVEY_THEME
    stored.full_clean()
    stored.save()
    _audit(
        actor,
        meeting.council,
        "council.item_results",
        stored,
        {"results": [None, f"{result_set.round.name}: {cell.name}"], "statements": [None, chosen]},
    )
    return stored


@transaction.atomic
def agenda_item_detach_results(*, actor: User | None, item: AgendaItem) -> AgendaItem:
    meeting = _locked_meeting(item.meeting)
    _open_agenda(meeting)
    stored = AgendaItem.objects.get(pk=item.pk)
    before = stored.results_round.name if stored.results_round else None
    stored.results_round = None
    stored.results_audience = ""
    stored.results_key = ""
    stored.statement_keys = []
    stored.save(
        update_fields=["results_round", "results_audience", "results_key", "statement_keys"]
    )
    _audit(actor, meeting.council, "council.item_results", stored, {"results": [before, None]})
    return stored


def _unconfirmed(meeting: Meeting) -> list[str]:
    problems = []
    for item in meeting.items.order_by("number"):
        if item.needs_confirmation:
            reasons = sorted(
                {str(selectors.FLAG_REASONS.get(str(f["kind"]), f["kind"])) for f in item.flags}
            )
            problems.append(
                _(
                    "Item %(number)s “%(title)s” may be about an individual case (it mentions "
                    "%(reasons)s). The council does not handle individual cases: rewrite the "
                    "item, or confirm that it is not one."
                )
                % {"number": item.label, "title": item.display_title, "reasons": ", ".join(reasons)}
            )
    return problems


# --- notice and minutes ---------------------------------------------------------------


@transaction.atomic
def meeting_send_notice(*, actor: User | None, meeting: Meeting, send_mail: bool = True) -> Meeting:
    """Send the notice with the agenda to the members: planned → notice sent.

    Refused while an item may be about an individual case and is not confirmed.
    """
    stored = _locked_meeting(meeting)
    _refuse_cancelled(stored)
    if stored.state != Meeting.State.PLANNED:
        raise ValidationError(
            _("The notice has already been sent. Use “Send again” to send it once more."),
            code="sent",
        )
    problems = _unconfirmed(stored)
    if problems:
        raise ValidationError(problems, code="individual_case")
    stored.state = Meeting.State.NOTICE_SENT
    stored.notice_sent_at = timezone.now()
    stored.save(update_fields=["state", "notice_sent_at"])
    _audit(
        actor,
        stored.council,
        "council.notice_send",
        stored,
        {"state": [Meeting.State.PLANNED, stored.state]},
    )
    if send_mail:
        transaction.on_commit(partial(send_papers, stored.pk, Delivery.Papers.NOTICE))
    return stored


@transaction.atomic
def meeting_record_minutes(
    *,
    actor: User | None,
    meeting: Meeting,
    attendance: Mapping[int, str],
    items: Mapping[int, tuple[str, str]],
    outcome: str = "",
    participants: int | None = None,
    now: datetime | None = None,
) -> Meeting:
    """Write the minutes: who came or sent apologies, and each item's discussion and
    advisory resolution. The first time, the meeting moves from notice sent to held."""
    stored = _locked_meeting(meeting)
    _refuse_cancelled(stored)
    now = now or timezone.now()
    if stored.state == Meeting.State.PLANNED:
        raise ValidationError(
            _(
                "Send the notice first: minutes are written for a meeting the members were "
                "called to."
            ),
            code="not_noticed",
        )
    if stored.starts_at > now:
        raise ValidationError(
            _("The meeting starts on %(date)s; write the minutes once it has started.")
            % {
                "date": formats.date_format(
                    timezone.localtime(stored.starts_at), "SHORT_DATETIME_FORMAT"
                )
            },
            code="not_started",
        )
    members = {m.pk: m for m in selectors.recipients(stored)}
    unknown = set(attendance) - set(members)
    if unknown:
        raise ValidationError(_("Attendance can only be given for the council's members."))
    statuses = set(Attendance.Status.values)
    for membership_id, status in attendance.items():
        if status not in statuses:
            raise ValidationError(_("Choose present, apologies or absent for each member."))
        Attendance.objects.update_or_create(
            meeting=stored, membership=members[membership_id], defaults={"status": status}
        )
    by_pk = {item.pk: item for item in stored.items.all()}
    if set(items) - set(by_pk):
        raise ValueError("minutes for items of another meeting")
    for pk, (discussion, resolution) in items.items():
        item = by_pk[pk]
        item.discussion, item.resolution = discussion.strip(), resolution.strip()
        _screen(item)
        item.full_clean()
        item.save()
    stored.outcome = outcome.strip()
    stored.participants = participants
    before = stored.state
    if stored.state == Meeting.State.NOTICE_SENT:
        stored.state = Meeting.State.HELD
        stored.held_at = now
    stored.full_clean()
    stored.save()
    _audit(
        actor,
        stored.council,
        "council.minutes_record",
        stored,
        {"state": [before, stored.state]}
        if before != stored.state
        else {"minutes": [None, "changed"]},
    )
    return stored


@transaction.atomic
def meeting_approve_minutes(
    *, actor: User | None, meeting: Meeting, send_mail: bool = True
) -> Meeting:
    """Approve the minutes: held → minutes approved, locked for good, sent to the members."""
    stored = _locked_meeting(meeting)
    _refuse_cancelled(stored)
    if stored.state != Meeting.State.HELD:
        raise ValidationError(
            _("Write the minutes first: who attended and each item's advisory resolution."),
            code="not_held",
        )
    problems = []
    if not stored.attendance.exists():
        problems.append(_("Record who attended and who sent apologies."))
    for item in stored.items.order_by("number"):
        if not item.discussion and not item.resolution:
            problems.append(
                _(
                    "Item %(number)s “%(title)s” has neither a discussion nor an advisory "
                    "resolution."
                )
                % {"number": item.label, "title": item.display_title}
            )
    problems += _unconfirmed(stored)
    if problems:
        raise ValidationError(problems, code="incomplete")
    stored.state = Meeting.State.MINUTES_APPROVED
    stored.minutes_approved_at = timezone.now()
    stored.minutes_approved_by = actor
    stored.save(update_fields=["state", "minutes_approved_at", "minutes_approved_by"])
    _audit(
        actor,
        stored.council,
        "council.minutes_approve",
        stored,
        {"state": [Meeting.State.HELD, stored.state]},
    )
    if send_mail:
        transaction.on_commit(partial(send_papers, stored.pk, Delivery.Papers.MINUTES))
    return stored


@transaction.atomic
def meeting_resend(
    *, actor: User | None, meeting: Meeting, papers: str, failed_only: bool = True
) -> None:
    """Send a meeting's papers again: to those they did not reach (after their address was
    corrected), or to everyone (after the agenda changed)."""
    stored = Meeting.objects.select_related("council__unit").get(pk=meeting.pk)
    if papers == Delivery.Papers.NOTICE and stored.state in (
        Meeting.State.PLANNED,
        Meeting.State.CANCELLED,
    ):
        raise ValidationError(_("The notice has not been sent yet."))
    if papers == Delivery.Papers.MINUTES and stored.state != Meeting.State.MINUTES_APPROVED:
        raise ValidationError(_("The minutes are sent once they are approved."))
    only: list[int] | None = None
    if failed_only:
        only = [
            d.membership_id
            for d in selectors.deliveries(stored)
            if d.papers == papers and d.status != Delivery.Status.SENT and d.membership_id
        ]
        if not only:
            raise ValidationError(_("Everyone with an e-mail address has received them."))
    _audit(
        actor,
        stored.council,
        "council.papers_resend",
        stored,
        {"papers": [None, papers], "recipients": [None, "failed" if failed_only else "all"]},
    )
    transaction.on_commit(partial(send_papers, stored.pk, papers, only))


# --- registrations for open meetings --------------------------------------------------


@transaction.atomic
def registration_add(
    *, actor: User | None, meeting: Meeting, name: str, affiliation: str = "", email: str = ""
) -> Registration:
    stored = _locked_meeting(meeting)
    _refuse_cancelled(stored)
    if not stored.takes_registrations:
        raise ValidationError(
            _(
                "Only open meetings (open assemblies, dialogue meetings, election meetings and "
                "neighbourhood conferences) take registrations."
            )
        )
    registration = Registration(
        meeting=stored, name=name.strip(), affiliation=affiliation.strip(), email=email.strip()
    )
    registration.full_clean()
    registration.save()
    _audit(
        actor,
        stored.council,
        "council.registration_add",
        stored,
        {"registration": [None, registration.name]},
    )
    return registration


@transaction.atomic
def registration_update(
    *, actor: User | None, registration: Registration, attended: bool | None
) -> Registration:
    stored = _locked_meeting(registration.meeting)
    registration.attended = attended
    registration.save(update_fields=["attended"])
    _audit(
        actor,
        stored.council,
        "council.registration_update",
        stored,
        {"attended": [None, f"{registration.name}: {attended}"]},
    )
    return registration


@transaction.atomic
def registration_remove(*, actor: User | None, registration: Registration) -> None:
    stored = _locked_meeting(registration.meeting)
    _audit(
        actor,
        stored.council,
        "council.registration_remove",
        stored,
        {"registration": [registration.name, None]},
    )
    registration.delete()


# --- the improvement plan -------------------------------------------------------------


def _check_action(action: ImprovementAction) -> None:
    if action.round is not None:
        if not action.round.round_units.filter(unit_id=action.unit_id).exists():
            raise ValidationError({"round": _("The unit was not in that survey round.")})
        spec = action.round.questionnaire_for(is_relative=action.audience == "relatives").spec
        known = {s.key for s in spec.statements}
        missing = [key for key in action.statement_keys if key not in known]
        if missing:
            raise ValidationError(
                {
                    "statement_keys": _(
                        "These statements are not in the questionnaire of %(round)s: "
                        "%(keys)s. Choose statements of that survey."
                    )
                    % {"round": action.round.name, "keys": ", ".join(missing)}
                }
            )
    if action.advice_item is not None and action.advice_item.council.unit_id != action.unit_id:
        raise ValidationError({"advice_item": _("Choose an item of this unit's council.")})


@transaction.atomic
def action_create(
    *, actor: User | None, council: Council, data: Mapping[str, Any]
) -> ImprovementAction:
    _only(data, ACTION_FIELDS, "action_create")
    action = ImprovementAction(unit=council.unit, **data)
    action.full_clean()
    _check_action(action)
    action.save()
    _audit(
        actor,
        council,
        "council.action_create",
        action,
        _created(_snapshot(action, ("title", "owner", "due_on", "status", "statement_keys"))),
    )
    return action


@transaction.atomic
def action_update(
    *, actor: User | None, action: ImprovementAction, data: Mapping[str, Any]
) -> ImprovementAction:
    _only(data, ACTION_FIELDS, "action_update")
    stored = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    before = _snapshot(stored, ACTION_FIELDS)
    for name, value in data.items():
        setattr(stored, name, value)
    stored.updated_at = timezone.now()
    stored.full_clean()
    _check_action(stored)
    stored.save()
    changes = _changes(before, _snapshot(stored, ACTION_FIELDS))
    if changes:
        council = Council.objects.select_related("unit__service_area").get(unit_id=stored.unit_id)
        _audit(actor, council, "council.action_update", stored, changes)
    return stored


# --- e-mail ---------------------------------------------------------------------------


def _text(message: bytes | str) -> str:
    return message.decode("utf-8", "replace") if isinstance(message, bytes) else message


def _refusal(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        reasons = [f"{code} {_text(message)}" for code, message in exc.recipients.values()]
        return _("The mail server refused the address (%(reason)s).") % {
            "reason": "; ".join(reasons)
        }
    if isinstance(exc, smtplib.SMTPException):
        return _("The mail server refused the message (%(reason)s).") % {"reason": exc}
    return _("The mail server could not be reached (%(reason)s).") % {"reason": exc}


def send_papers(
    meeting_id: int, papers: str, only: Collection[int] | None = None
) -> list[Delivery]:
    """E-mail a meeting's notice or minutes (as PDF) to each member, one message each.

    Runs after the transaction that changed the meeting has committed. Every recipient gets
    a ``Delivery``: sent, refused by the mail server (with its reason), or not sent for want
    of an address. One refusal stops nothing else.
    """
    from . import papers as documents

    meeting = Meeting.objects.select_related(
        "council__unit__service_area__municipality", "plan"
    ).get(pk=meeting_id)
    members = [m for m in selectors.recipients(meeting) if only is None or m.pk in set(only)]
    made: bytes | None = None
    failure = ""
    try:
        made = (
            documents.notice_pdf(meeting)
            if papers == Delivery.Papers.NOTICE
            else documents.minutes_pdf(meeting)
        )
    except Exception:
        logger.exception("the %s of meeting %s could not be typeset", papers, meeting_id)
        failure = _("The papers could not be made; it has been logged. Try again later.")
    subject, body = documents.mail_text(meeting, papers)
    filename = documents.filename(meeting, papers)
    connection = mail.get_connection()  # settings.EMAIL_BACKEND, the console by default
    found: list[Delivery] = []
    for member in members:
        delivery = Delivery(
            meeting=meeting, papers=papers, membership=member, name=member.name, email=member.email
        )
        if not member.email:
            delivery.status = Delivery.Status.NO_ADDRESS
        elif made is None:
            delivery.status, delivery.error = Delivery.Status.FAILED, failure
        else:
            message = mail.EmailMessage(
                subject=subject,
                body=body,
                to=[member.email],
                reply_to=[meeting.council.unit.email] if meeting.council.unit.email else None,
                connection=connection,
            )
            message.attach(filename, made, "application/pdf")
            try:
                message.send()
            except (smtplib.SMTPException, OSError) as exc:
                logger.warning(
                    "papers of meeting %s not delivered to %s: %s", meeting_id, member.pk, exc
                )
                delivery.status, delivery.error = Delivery.Status.FAILED, _refusal(exc)
            else:
                delivery.status = Delivery.Status.SENT
        found.append(delivery)
    Delivery.objects.bulk_create(found)
    return found
