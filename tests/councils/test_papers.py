"""The notice, the minutes and the annual reports as PDF, read back with pypdf."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from medvirk.councils import annual, papers, services
from medvirk.councils.models import Meeting

from ..documents import pdf_text as text_of
from .conftest import advise, approved, at, held


def test_the_notice_has_the_meeting_the_members_and_the_agenda(meeting):
    advise(
        meeting,
        description="Flere pårørende ønsker aktiviteter etter klokken 15.",
        proposal="Rådet anbefaler et prøveprosjekt.",
    )

    text = text_of(papers.notice_pdf(meeting))

    assert "Notice of meeting" in text
    assert "User council of Nord sykehjem" in text
    assert "Tuesday 10 March 2026 at 18:00" in text
    assert "Kantina" in text
    assert "Kari Leder Chair, Relatives or guardians" in text
    assert "Item 1/2026 Approval of the notice and agenda" in text
    assert "Item 4/2026 Aktiviteter på ettermiddagen" in text
    assert "Flere pårørende ønsker aktiviteter etter klokken 15." in text
    assert "Rådet anbefaler et prøveprosjekt." in text


def test_the_minutes_have_attendance_and_each_advisory_resolution(meeting):
    advise(meeting)
    approved(meeting)

    text = text_of(papers.minutes_pdf(Meeting.objects.get()))

    assert "Minutes" in text
    assert "Present" in text
    assert "Anne Anonym" in text
    assert "Advisory resolution Rådet anbefaler tiltak i sak 4/2026." in text
    assert "Draft" not in text


def test_minutes_not_yet_approved_say_they_are_a_draft(meeting):
    held(meeting, apologies=("Anne Anonym",))

    text = text_of(papers.minutes_pdf(Meeting.objects.get()))

    assert "Draft: these minutes are not approved yet." in text
    assert "Sent apologies Anne Anonym" in text


def test_the_public_minutes_name_only_members_who_consented(meeting):
    approved(meeting)

    text = text_of(papers.minutes_pdf(Meeting.objects.get(), public=True))

    assert "Kari Leder" in text  # consented
    assert "Anne Anonym" not in text
    assert "Mona Manager" not in text
    assert "User representative (name not published)" in text


def test_the_annual_report_counts_meetings_against_the_plan(plan, meeting):
    advise(meeting, theme="Budsjett")
    approved(meeting)
    services.meeting_create(
        actor=None, plan=plan, kind=Meeting.Kind.DIALOGUE, starts_at=at(date(2026, 11, 3))
    )

    report = annual.council_year(meeting.council, 2026)
    text = text_of(papers.annual_pdf(report))

    assert (report.held, report.planned) == (1, 2)
    assert "Annual report 2026" in text
    assert "Meetings held 1 of 2 planned" in text
    assert "Budsjett 1" in text
    assert "Rådet anbefaler tiltak i sak 4/2026." in text


def test_the_service_areas_annual_report_lists_every_council(world, meeting):
    approved(meeting)
    services.council_create(actor=None, unit=world.loose_unit)

    report = annual.area_year(world.area, 2026)
    text = text_of(papers.area_annual_pdf(report))

    assert "User councils: annual report 2026" in text
    assert "Nord sykehjem 1 / 1" in text
    assert "Helsehuset 0 / 0" in text
    assert "Units without a council • Nord hjemmetjeneste" in text


def test_the_annual_report_counts_completed_actions(council, meeting):
    services.action_create(
        actor=None,
        council=council,
        data={
            "title": "Bedre mat",
            "feedback_theme": "Måltider",
            "owner": "Mona",
            "status": "done",
        },
    )

    report = annual.council_year(council, timezone.localdate().year)

    assert [a.title for a in report.actions_done] == ["Bedre mat"]


def test_the_notice_pdf_is_downloaded_from_the_meeting_page(client_for, meeting):
    from django.urls import reverse

    response = client_for("council").get(reverse("councils:notice_pdf", args=[meeting.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert "Møteinnkalling" in text_of(response.content)


def test_the_annual_report_pdf_is_downloaded(client_for, council):
    from django.urls import reverse

    response = client_for("manager").get(reverse("councils:report_pdf", args=[council.pk, 2026]))

    assert "Årsrapport 2026" in text_of(response.content)
