"""Meeting plans, agendas and minutes: the states, the numbering, the limits and the lock."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from medvirk.councils import selectors, services
from medvirk.councils.models import Meeting

from .conftest import approved, plan_meeting


def test_a_meeting_outside_its_plans_year_is_refused(plan, members):
    with pytest.raises(ValidationError) as refused:
        plan_meeting(plan, date(2027, 1, 14))

    assert refused.value.message_dict["starts_at"] == [
        "The meeting is on 14.01.2027, outside the 2026 plan. Choose a date in 2026, or make "
        "the plan for 2027 first."
    ]


def test_a_sixth_meeting_in_a_year_is_refused(plan):
    for month in (2, 4, 6, 8, 10):
        plan_meeting(plan, date(2026, month, 1))

    with pytest.raises(ValidationError) as refused:
        plan_meeting(plan, date(2026, 11, 1))

    assert "The 2026 plan already has 5 meetings, the most the rules allow" in (
        " ".join(refused.value.messages)
    )
    assert Meeting.objects.count() == 5


def test_neighbourhood_conferences_come_in_addition_to_the_five(plan):
    for month in (2, 4, 6, 8, 10):
        plan_meeting(plan, date(2026, month, 1))

    conference = plan_meeting(plan, date(2026, 11, 1), Meeting.Kind.NEIGHBOURHOOD)

    assert not conference.counts_in_plan


def test_a_cancelled_meeting_frees_its_place(plan):
    meetings = [plan_meeting(plan, date(2026, month, 1)) for month in (2, 4, 6, 8, 10)]
    services.meeting_cancel(actor=None, meeting=meetings[0])

    assert plan_meeting(plan, date(2026, 11, 1)).counts_in_plan


def test_a_second_open_assembly_is_refused(plan):
    plan_meeting(plan, date(2026, 2, 1), Meeting.Kind.OPEN_ASSEMBLY)

    with pytest.raises(ValidationError) as refused:
        plan_meeting(plan, date(2026, 4, 1), Meeting.Kind.OPEN_ASSEMBLY)

    assert "kind" in refused.value.message_dict


def test_the_plan_warns_without_a_dialogue_meeting(world, plan, meeting):
    warnings = selectors.plan_warnings(plan, settings=selectors.settings_for(world.alpha))

    assert warnings == [
        "The plan has no dialogue meeting with politicians; 1 of the year's meetings should be one."
    ]


def test_the_plan_warns_when_the_settings_change_under_it(world, plan):
    for month in (2, 4, 6, 8):
        plan_meeting(plan, date(2026, month, 1))
    plan_meeting(plan, date(2026, 10, 1), Meeting.Kind.DIALOGUE)
    services.council_settings_update(
        actor=None, municipality=world.alpha, data={"max_meetings": 3, "max_open_assemblies": 1}
    )

    warnings = selectors.plan_warnings(plan, settings=selectors.settings_for(world.alpha))

    assert warnings == ["The plan has 5 meetings; the settings allow 3 a year."]


def test_an_approved_meeting_cannot_be_cancelled(meeting):
    approved(meeting)

    with pytest.raises(ValidationError):
        services.meeting_cancel(actor=None, meeting=meeting)


# --- registrations ---------------------------------------------------------------------


def test_a_dialogue_meeting_takes_registrations_and_records_what_came_out(plan, members):
    dialogue = plan_meeting(plan, date(2026, 5, 5), Meeting.Kind.DIALOGUE)
    registration = services.registration_add(
        actor=None, meeting=dialogue, name="Jon Lie", affiliation="HSO-utvalget"
    )
    services.registration_update(actor=None, registration=registration, attended=True)
    services.meeting_send_notice(actor=None, meeting=dialogue, send_mail=False)

    services.meeting_record_minutes(
        actor=None,
        meeting=dialogue,
        attendance={},
        items={i.pk: ("", "Godkjent.") for i in dialogue.items.all()},
        outcome="Politikerne vil se på aktivitetstilbudet.",
        participants=12,
    )

    stored = Meeting.objects.get(pk=dialogue.pk)
    assert stored.outcome == "Politikerne vil se på aktivitetstilbudet."
    assert stored.participants == 12
    assert stored.registrations.get().attended is True


def test_an_ordinary_council_meeting_takes_no_registrations(meeting):
    with pytest.raises(ValidationError):
        services.registration_add(actor=None, meeting=meeting, name="Jon Lie")
