"""Council fixtures on top of the organisation's world (tests/conftest.py).

``council`` is the user council of the world's unit (Nord sykehjem), ``members`` its people
(a chair, two representatives, the secretary and an employee, terms of 2026–2027), ``plan``
its 2026 meeting plan and ``meeting`` a council meeting in March 2026 with its standing
items. The tests speak English: messages are compared in the source language.
"""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.test import Client
from django.utils import timezone, translation

from medvirk.core import tasks
from medvirk.councils import services
from medvirk.councils.models import Council, Meeting, MeetingPlan, Membership

TERM_START = date(2026, 1, 1)


@pytest.fixture(autouse=True)
def _english():
    translation.activate("en")
    yield
    translation.activate("nb")


def at(day: date, hour: int = 18) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def add_member(council: Council, name: str, role: str = "representative", **data) -> Membership:
    values = {
        "name": name,
        "role": role,
        "represents": "relatives" if role in ("chair", "representative") else "",
        "starts_on": TERM_START,
        "email": f"{name.split()[0].lower()}@example.org",
        **data,
    }
    return services.membership_add(actor=None, council=council, data=values)


def send_queued() -> None:
    """Run the background worker until the queue is empty, as ``manage.py run_tasks`` does:
    the papers a change queued are typeset and mailed here, not in the change."""
    while tasks.run_next() is not None:
        pass


def english(client: Client) -> Client:
    client.cookies["medvirk_language"] = "en"
    return client


@pytest.fixture
def council(world) -> Council:
    return services.council_create(actor=None, unit=world.unit)


@pytest.fixture
def members(council) -> dict[str, Membership]:
    return {
        "chair": add_member(council, "Kari Leder", "chair", public_consent=True),
        "first": add_member(council, "Nils Nilsen", public_consent=True),
        "second": add_member(council, "Anne Anonym"),
        "secretary": add_member(council, "Mona Manager", "secretary", filled_by="office"),
        "employee": add_member(council, "Erik Ansatt", "employee", filled_by="appointed"),
    }


@pytest.fixture
def plan(council) -> MeetingPlan:
    return services.meeting_plan_create(actor=None, council=council, year=2026)


@pytest.fixture
def meeting(plan, members) -> Meeting:
    return services.meeting_create(
        actor=None,
        plan=plan,
        kind=Meeting.Kind.COUNCIL,
        starts_at=at(date(2026, 3, 10)),
        place="Kantina",
    )


def advise(meeting: Meeting, title: str = "Aktiviteter på ettermiddagen", **data):
    return services.agenda_item_add(actor=None, meeting=meeting, title=title, **data)


def minutes_for(meeting: Meeting, *, apologies: tuple[str, ...] = ()) -> Meeting:
    """Write minutes with everyone present (but ``apologies``) and a resolution per item."""
    attendance = {
        m.pk: "apology" if m.name in apologies else "present"
        for m in meeting.council.memberships.all()
        if m.holds_on(timezone.localdate(meeting.starts_at))
    }
    items = {
        item.pk: (f"Drøftet {item.label}.", f"Rådet anbefaler tiltak i sak {item.label}.")
        for item in meeting.items.all()
    }
    return services.meeting_record_minutes(
        actor=None, meeting=meeting, attendance=attendance, items=items
    )


def held(meeting: Meeting, **kwargs) -> Meeting:
    services.meeting_send_notice(actor=None, meeting=meeting, send_mail=False)
    return minutes_for(meeting, **kwargs)


def approved(meeting: Meeting) -> Meeting:
    held(meeting)
    return services.meeting_approve_minutes(actor=None, meeting=meeting, send_mail=False)


def plan_meeting(plan, day: date, kind: str = Meeting.Kind.COUNCIL) -> Meeting:
    return services.meeting_create(actor=None, plan=plan, kind=kind, starts_at=at(day))
