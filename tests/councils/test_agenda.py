"""A meeting's agenda: the standing items, the numbering, the lock, and items about one person."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from medvirk.councils import services
from medvirk.councils.models import AgendaItem, Meeting

from .conftest import advise, approved, held, plan_meeting


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


def test_a_theme_must_be_one_of_the_settings(meeting):
    with pytest.raises(ValidationError) as refused:
        advise(meeting, theme="Bemanning av nattevakt")

    assert "theme" in refused.value.message_dict


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
