"""Notices and minutes to the members by e-mail, sent by the background worker and never in
the request, with every delivery kept."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from medvirk.core.models import BackgroundTask
from medvirk.councils import services
from medvirk.councils.models import Delivery, Meeting, Membership

from .conftest import advise, english, held, send_queued


@pytest.fixture
def refusing(settings):
    settings.EMAIL_BACKEND = "tests.councils.mailbox.RefusingBackend"


def test_the_notice_goes_to_every_member_with_the_agenda_attached(meeting):
    advise(meeting)
    services.meeting_send_notice(actor=None, meeting=meeting)
    send_queued()

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


def test_the_change_only_queues_the_sending_and_the_worker_mails(meeting):
    services.meeting_send_notice(actor=None, meeting=meeting)

    assert mail.outbox == []
    assert BackgroundTask.objects.get().status == BackgroundTask.Status.QUEUED

    send_queued()

    assert len(mail.outbox) == 5
    assert BackgroundTask.objects.get().result == {
        "meeting": meeting.pk,
        "papers": Delivery.Papers.NOTICE,
        "sent": 5,
    }


def test_a_refused_change_queues_nothing(meeting):
    services.meeting_send_notice(actor=None, meeting=meeting, send_mail=False)

    with pytest.raises(ValidationError):
        services.meeting_send_notice(actor=None, meeting=meeting)

    assert not BackgroundTask.objects.exists()


def test_sending_from_the_page_never_talks_to_the_mail_server_in_the_request(
    client_for, meeting, settings
):
    settings.EMAIL_BACKEND = "tests.councils.mailbox.UnreachableBackend"

    response = client_for("manager").post(reverse("councils:notice_send", args=[meeting.pk]))

    assert response.status_code == 302
    assert Meeting.objects.get().state == Meeting.State.NOTICE_SENT
    page = english(client_for("manager")).get(meeting.get_absolute_url()).text
    assert "Papers on their way" in page

    send_queued()

    assert Delivery.objects.filter(status=Delivery.Status.FAILED).count() == 5
    page = english(client_for("manager")).get(meeting.get_absolute_url()).text
    assert "Papers on their way" not in page
    assert "Papers that did not reach their recipient" in page


def test_every_delivery_is_recorded(meeting):
    services.meeting_send_notice(actor=None, meeting=meeting)
    send_queued()

    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 5


def test_a_bounce_is_recorded_and_the_others_still_get_the_notice(refusing, meeting, members):
    Membership.objects.filter(pk=members["first"].pk).update(email="nils@bounce.example")

    services.meeting_send_notice(actor=None, meeting=meeting)
    send_queued()

    failed = Delivery.objects.get(status=Delivery.Status.FAILED)
    assert failed.name == "Nils Nilsen"
    assert failed.error == ("The mail server refused the address (550 5.1.1 No such user).")
    assert len(mail.outbox) == 4
    assert Meeting.objects.get().state == Meeting.State.NOTICE_SENT


def test_a_member_without_an_address_is_listed_for_paper(meeting, members):
    Membership.objects.filter(pk=members["second"].pk).update(email="")

    services.meeting_send_notice(actor=None, meeting=meeting)
    send_queued()

    assert Delivery.objects.get(status=Delivery.Status.NO_ADDRESS).name == "Anne Anonym"
    assert len(mail.outbox) == 4


def test_sending_again_reaches_only_those_it_did_not_reach(refusing, meeting, members):
    Membership.objects.filter(pk=members["first"].pk).update(email="nils@bounce.example")
    services.meeting_send_notice(actor=None, meeting=meeting)
    send_queued()
    Membership.objects.filter(pk=members["first"].pk).update(email="nils@example.org")
    mail.outbox.clear()

    services.meeting_resend(actor=None, meeting=meeting, papers=Delivery.Papers.NOTICE)
    send_queued()

    assert [m.to for m in mail.outbox] == [["nils@example.org"]]


def test_approved_minutes_go_to_the_members(meeting):
    held(meeting)

    services.meeting_approve_minutes(actor=None, meeting=meeting)
    send_queued()

    assert len(mail.outbox) == 5
    assert mail.outbox[0].subject.startswith("Minutes: Council meeting 10.03.2026")
    assert mail.outbox[0].attachments[0][0] == "referat-n-shj-2026-03-10.pdf"
