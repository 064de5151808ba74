"""Notices and minutes to the members by e-mail, after commit, with every delivery kept."""

from __future__ import annotations

import pytest
from django.core import mail

from medvirk.councils import services
from medvirk.councils.models import Delivery, Meeting, Membership

from .conftest import advise, held


@pytest.fixture
def refusing(settings):
    settings.EMAIL_BACKEND = "tests.councils.mailbox.RefusingBackend"


def test_the_notice_goes_to_every_member_with_the_agenda_attached(
    meeting, django_capture_on_commit_callbacks
):
    advise(meeting)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_send_notice(actor=None, meeting=meeting)

    assert sorted(m.to[0] for m in mail.outbox) == [
        "anne@example.org",
        "erik@example.org",
        "kari@example.org",
        "mona@example.org",
        "nils@example.org",
    ]
    message = mail.outbox[0]
    assert message.subject.startswith("Notice: Council meeting 10.03.2026")
    assert "4/2026  Aktiviteter på ettermiddagen" in message.body
    (name, content, kind) = message.attachments[0]
    assert name == "innkalling-n-shj-2026-03-10.pdf"
    assert kind == "application/pdf"
    assert content.startswith(b"%PDF")


def test_no_mail_leaves_before_the_transaction_commits(meeting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        services.meeting_send_notice(actor=None, meeting=meeting)

    assert mail.outbox == []
    assert len(waiting) == 1


def test_every_delivery_is_recorded(meeting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_send_notice(actor=None, meeting=meeting)

    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 5


def test_a_bounce_is_recorded_and_the_others_still_get_the_notice(
    refusing, meeting, members, django_capture_on_commit_callbacks
):
    Membership.objects.filter(pk=members["first"].pk).update(email="nils@bounce.example")

    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_send_notice(actor=None, meeting=meeting)

    failed = Delivery.objects.get(status=Delivery.Status.FAILED)
    assert failed.name == "Nils Nilsen"
    assert failed.error == ("The mail server refused the address (550 5.1.1 No such user).")
    assert len(mail.outbox) == 4
    assert Meeting.objects.get().state == Meeting.State.NOTICE_SENT


def test_a_member_without_an_address_is_listed_for_paper(
    meeting, members, django_capture_on_commit_callbacks
):
    Membership.objects.filter(pk=members["second"].pk).update(email="")

    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_send_notice(actor=None, meeting=meeting)

    assert Delivery.objects.get(status=Delivery.Status.NO_ADDRESS).name == "Anne Anonym"
    assert len(mail.outbox) == 4


def test_sending_again_reaches_only_those_it_did_not_reach(
    refusing, meeting, members, django_capture_on_commit_callbacks
):
    Membership.objects.filter(pk=members["first"].pk).update(email="nils@bounce.example")
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_send_notice(actor=None, meeting=meeting)
    Membership.objects.filter(pk=members["first"].pk).update(email="nils@example.org")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_resend(actor=None, meeting=meeting, papers=Delivery.Papers.NOTICE)

    assert [m.to for m in mail.outbox] == [["nils@example.org"]]


def test_approved_minutes_go_to_the_members(meeting, django_capture_on_commit_callbacks):
    held(meeting)

    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_approve_minutes(actor=None, meeting=meeting)

    assert len(mail.outbox) == 5
    assert mail.outbox[0].subject.startswith("Minutes: Council meeting 10.03.2026")
    assert mail.outbox[0].attachments[0][0] == "referat-n-shj-2026-03-10.pdf"
