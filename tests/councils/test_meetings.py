"""Meeting plans, agendas and minutes: the states, the numbering, the limits and the lock."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from medvirk.councils import selectors, services
from medvirk.councils.models import AgendaItem, Attendance, Meeting

from .conftest import advise, approved, at, held, minutes_for


def plan_meeting(plan, day: date, kind: str = Meeting.Kind.COUNCIL) -> Meeting:
    return services.meeting_create(actor=None, plan=plan, kind=kind, starts_at=at(day))


def labels(meeting: Meeting) -> list[str]:
    return [f"{item.label} {item.display_title}" for item in meeting.items.order_by("number")]


def test_a_council_meeting_opens_with_the_standing_items(meeting):
    assert labels(meeting) == [
        "1/2026 Approval of the notice and agenda",
        "2/2026 Approval of the minutes of the last meeting",
        "3/2026 Orientations",
    ]


def test_items_are_numbered_on_per_council_and_year(plan, meeting):
    advise(meeting)
    later = plan_meeting(plan, date(2026, 9, 1))

    item = advise(later, "Budsjett 2027")

    assert [i.label for i in later.items.order_by("number")] == [
        "5/2026",
        "6/2026",
        "7/2026",
        "8/2026",
    ]
    assert item.label == "8/2026"


def test_numbering_starts_again_each_year(council, meeting):
    next_year = services.meeting_plan_create(actor=None, council=council, year=2027)

    assert plan_meeting(next_year, date(2027, 2, 1)).items.order_by("number")[0].label == ("1/2027")


def test_another_councils_numbers_are_its_own(world, meeting):
    other = services.council_create(actor=None, unit=world.sibling)
    plan = services.meeting_plan_create(actor=None, council=other, year=2026)

    assert plan_meeting(plan, date(2026, 3, 1)).items.order_by("number")[0].label == "1/2026"


def test_removing_an_item_before_the_notice_closes_the_gap(meeting):
    first = advise(meeting, "Første")
    advise(meeting, "Andre")

    services.agenda_item_delete(actor=None, item=first)

    assert labels(meeting)[-1] == "4/2026 Andre"


def test_standing_items_cannot_be_removed(meeting):
    with pytest.raises(ValidationError):
        services.agenda_item_delete(actor=None, item=meeting.items.first())


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


def test_the_meeting_moves_from_planned_to_approved_minutes(meeting):
    services.meeting_send_notice(actor=None, meeting=meeting, send_mail=False)
    assert Meeting.objects.get().state == Meeting.State.NOTICE_SENT
    minutes_for(meeting)
    assert Meeting.objects.get().state == Meeting.State.HELD

    services.meeting_approve_minutes(actor=None, meeting=meeting, send_mail=False)

    stored = Meeting.objects.get()
    assert stored.state == Meeting.State.MINUTES_APPROVED
    assert stored.notice_sent_at is not None
    assert stored.held_at is not None
    assert stored.minutes_approved_at is not None


def test_minutes_record_attendance_and_apologies(meeting):
    held(meeting, apologies=("Anne Anonym",))

    assert dict(Attendance.objects.values_list("membership__name", "status")) == {
        "Kari Leder": "present",
        "Nils Nilsen": "present",
        "Anne Anonym": "apology",
        "Mona Manager": "present",
        "Erik Ansatt": "present",
    }


def test_minutes_keep_each_items_discussion_and_advisory_resolution(meeting):
    item = advise(meeting)
    held(meeting)

    stored = AgendaItem.objects.get(pk=item.pk)
    assert stored.discussion == "Drøftet 4/2026."
    assert stored.resolution == "Rådet anbefaler tiltak i sak 4/2026."


def test_minutes_cannot_be_written_before_the_notice(meeting):
    with pytest.raises(ValidationError) as refused:
        minutes_for(meeting)

    assert refused.value.code == "not_noticed"


def test_minutes_cannot_be_written_before_the_meeting_starts(plan, members):
    future = plan_meeting(plan, date(2026, 12, 31))
    services.meeting_send_notice(actor=None, meeting=future, send_mail=False)

    with pytest.raises(ValidationError) as refused:
        services.meeting_record_minutes(
            actor=None, meeting=future, attendance={}, items={}, now=at(date(2026, 12, 30))
        )

    assert refused.value.code == "not_started"


def test_minutes_without_a_resolution_cannot_be_approved(meeting):
    item = advise(meeting)
    held(meeting)
    AgendaItem.objects.filter(pk=item.pk).update(discussion="", resolution="")

    with pytest.raises(ValidationError) as refused:
        services.meeting_approve_minutes(actor=None, meeting=meeting, send_mail=False)

    assert refused.value.messages == [
        "Item 4/2026 “Aktiviteter på ettermiddagen” has neither a discussion nor an advisory "
        "resolution."
    ]


def test_approved_minutes_are_locked(meeting):
    approved(meeting)

    with pytest.raises(ValidationError) as refused:
        minutes_for(meeting)

    assert refused.value.code == "locked"


def test_an_agenda_change_after_approval_is_refused(meeting):
    item = advise(meeting)
    approved(meeting)

    with pytest.raises(ValidationError) as refused:
        services.agenda_item_update(actor=None, item=item, data={"title": "Nytt navn"})

    assert refused.value.messages == [
        "The minutes of this meeting are approved and locked; nothing in the meeting can "
        "change. Put new matters on a later meeting's agenda."
    ]
    assert AgendaItem.objects.get(pk=item.pk).title == "Aktiviteter på ettermiddagen"


def test_a_new_item_for_an_approved_meeting_is_refused(meeting):
    approved(meeting)

    with pytest.raises(ValidationError) as refused:
        advise(meeting, "For sent")

    assert refused.value.code == "locked"


def test_the_agenda_of_a_held_meeting_cannot_grow(meeting):
    held(meeting)

    with pytest.raises(ValidationError) as refused:
        advise(meeting, "For sent")

    assert refused.value.code == "held"


def test_an_approved_meeting_cannot_be_cancelled(meeting):
    approved(meeting)

    with pytest.raises(ValidationError):
        services.meeting_cancel(actor=None, meeting=meeting)


def test_the_notice_is_sent_once(meeting):
    services.meeting_send_notice(actor=None, meeting=meeting, send_mail=False)

    with pytest.raises(ValidationError) as refused:
        services.meeting_send_notice(actor=None, meeting=meeting, send_mail=False)

    assert refused.value.code == "sent"


def test_a_theme_must_be_one_of_the_settings(meeting):
    with pytest.raises(ValidationError) as refused:
        advise(meeting, theme="Bemanning av nattevakt")

    assert "theme" in refused.value.message_dict


# --- individual cases -------------------------------------------------------------------


def test_an_item_about_one_person_is_flagged(meeting):
    item = advise(meeting, "Klage", description="Min mor har falt to ganger.")

    assert item.needs_confirmation
    assert [flag["kind"] for flag in item.flags] == ["relative"]


def test_a_flagged_item_blocks_the_notice(meeting):
    advise(meeting, "Beboer på rom 12 trenger tilsyn")

    with pytest.raises(ValidationError) as refused:
        services.meeting_send_notice(actor=None, meeting=meeting, send_mail=False)

    assert refused.value.messages == [
        "Item 4/2026 “Beboer på rom 12 trenger tilsyn” may be about an individual case (it "
        "mentions one particular resident or patient). The council does not handle individual "
        "cases: rewrite the item, or confirm that it is not one."
    ]
    assert Meeting.objects.get().state == Meeting.State.PLANNED


def test_a_confirmed_item_lets_the_notice_go_and_the_confirmation_is_recorded(world, meeting):
    item = advise(meeting, "Pasienten i sentrum", description="Om pasientforløp generelt.")
    services.agenda_item_confirm(
        actor=world.people["manager"], item=item, note="Et prinsipp, ikke en person."
    )

    services.meeting_send_notice(actor=None, meeting=meeting, send_mail=False)

    stored = AgendaItem.objects.get(pk=item.pk)
    assert stored.flags_confirmed_by == world.people["manager"]
    assert stored.flags_confirmation == "Et prinsipp, ikke en person."
    assert Meeting.objects.get().state == Meeting.State.NOTICE_SENT


def test_a_rewritten_item_needs_no_confirmation(meeting):
    item = advise(meeting, "Klage", description="Min mor har falt.")

    services.agenda_item_update(
        actor=None, item=item, data={"description": "Rutiner for varsling ved fall."}
    )

    assert not AgendaItem.objects.get(pk=item.pk).needs_confirmation


def test_a_confirmation_needs_a_reason(meeting):
    item = advise(meeting, "Klage", description="Min mor har falt.")

    with pytest.raises(ValidationError) as refused:
        services.agenda_item_confirm(actor=None, item=item, note=" ")

    assert "note" in refused.value.message_dict


def test_minutes_about_one_person_block_the_approval(meeting):
    item = advise(meeting)
    held(meeting)
    services.meeting_record_minutes(
        actor=None,
        meeting=meeting,
        attendance={},
        items={item.pk: ("Datteren min klaget.", "Rådet anbefaler bedre rutiner.")},
    )

    with pytest.raises(ValidationError) as refused:
        services.meeting_approve_minutes(actor=None, meeting=meeting, send_mail=False)

    assert "may be about an individual case" in refused.value.messages[0]


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
