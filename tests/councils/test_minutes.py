"""The notice and the minutes: the states a meeting moves through, and the lock once approved."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from medvirk.councils import services
from medvirk.councils.models import AgendaItem, Attendance, Meeting

from .conftest import advise, approved, at, held, minutes_for, plan_meeting


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


def test_the_notice_is_sent_once(meeting):
    services.meeting_send_notice(actor=None, meeting=meeting, send_mail=False)

    with pytest.raises(ValidationError) as refused:
        services.meeting_send_notice(actor=None, meeting=meeting, send_mail=False)

    assert refused.value.code == "sent"


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
