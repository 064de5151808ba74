"""Meeting plans and their meetings, and who registers for the open ones. A year's plan
holds at most the settings' number of meetings, each inside its year."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.organisation import audit
from medvirk.organisation.models import User

from .. import selectors
from ..models import AgendaItem, Council, CouncilSettings, Meeting, MeetingPlan, Registration
from ._common import _audit, _locked_meeting, _municipality, _only, _refuse_cancelled

MEETING_FIELDS = ("kind", "title", "starts_at", "place")

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
        audit.created(audit.snapshot(meeting, MEETING_FIELDS)),
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
    before = audit.snapshot(stored, MEETING_FIELDS)
    for name, value in data.items():
        setattr(stored, name, value)
    stored.full_clean()
    _check_in_plan(stored, selectors.settings_for(_municipality(stored.council)))
    stored.save()
    changes = audit.changes(before, audit.snapshot(stored, MEETING_FIELDS))
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
