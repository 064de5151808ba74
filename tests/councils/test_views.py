"""The council pages per role, and the steps of a meeting taken on them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from medvirk.councils import services
from medvirk.councils.models import AgendaItem, Attendance, Meeting, Membership

from .conftest import add_member, advise, at, english, held, send_queued


def status_of(client_for: Callable[[str], Client], role: str, url: str) -> int:
    return client_for(role).get(url).status_code


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("adviser", 200),
        ("manager", 200),
        ("council", 200),
        ("staff", 403),
        ("politician", 403),
        ("nobody", 403),
    ],
)
def test_the_list_of_councils_per_role(client_for, council, role, status):
    assert status_of(client_for, role, reverse("councils:index")) == status


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("adviser", 200),
        ("manager", 200),
        ("council", 200),
        ("staff", 403),
        ("politician", 403),
        ("nobody", 403),
    ],
)
@pytest.mark.parametrize("page", ["councils:council", "councils:actions"])
def test_a_councils_pages_per_role(client_for, council, members, page, role, status):
    assert status_of(client_for, role, reverse(page, args=[council.pk])) == status


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("adviser", 200),
        ("manager", 200),
        ("council", 200),
        ("staff", 403),
        ("politician", 403),
        ("nobody", 403),
    ],
)
def test_the_annual_report_per_role(client_for, council, role, status):
    assert status_of(client_for, role, reverse("councils:report", args=[council.pk, 2026])) == (
        status
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("adviser", 200),
        ("manager", 200),
        ("council", 200),
        ("staff", 403),
        ("politician", 404),
        ("nobody", 403),
    ],
)
def test_a_council_meeting_per_role(client_for, meeting, role, status):
    assert status_of(client_for, role, meeting.get_absolute_url()) == status


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("adviser", 200),
        ("manager", 200),
        ("council", 200),
        ("staff", 403),
        ("politician", 200),
        ("nobody", 403),
    ],
)
def test_a_dialogue_meeting_per_role(client_for, plan, members, role, status):
    dialogue = services.meeting_create(
        actor=None, plan=plan, kind=Meeting.Kind.DIALOGUE, starts_at=at(date(2026, 5, 5))
    )

    assert status_of(client_for, role, dialogue.get_absolute_url()) == status
    assert status_of(client_for, role, reverse("councils:dialogue")) == status


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("adviser", 200),
        ("manager", 200),
        ("council", 403),
        ("staff", 403),
        ("politician", 403),
        ("nobody", 403),
    ],
)
@pytest.mark.parametrize(
    "page", ["councils:member_create", "councils:plan_create", "councils:action_create"]
)
def test_only_those_who_run_the_council_change_it(client_for, council, page, role, status):
    assert status_of(client_for, role, reverse(page, args=[council.pk])) == status


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("adviser", 403), ("manager", 403), ("council", 403), ("nobody", 403)],
)
def test_only_administrators_change_the_settings(client_for, world, role, status):
    assert status_of(client_for, role, reverse("councils:settings")) == status


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("adviser", 200), ("manager", 403), ("council", 403), ("politician", 403)],
)
def test_the_service_areas_annual_report_per_role(client_for, world, council, role, status):
    url = reverse("councils:area_report", args=[world.area.pk, 2026])

    assert status_of(client_for, role, url) == status


def test_a_council_member_cannot_send_the_notice(client_for, meeting):
    response = client_for("council").post(reverse("councils:notice_send", args=[meeting.pk]))

    assert response.status_code == 403
    assert Meeting.objects.get().state == Meeting.State.PLANNED


@pytest.mark.parametrize("role", ["manager", "council"])
def test_another_units_council_is_not_found(client_for, world, role):
    other = services.council_create(actor=None, unit=world.sibling)

    assert status_of(client_for, role, reverse("councils:council", args=[other.pk])) == 404


def test_the_adviser_sees_every_council_of_the_area(client_for, world):
    other = services.council_create(actor=None, unit=world.sibling)

    assert status_of(client_for, "adviser", reverse("councils:council", args=[other.pk])) == 200


def test_another_municipalitys_administrator_does_not_find_the_council(client_for, council):
    response = client_for("beta_admin", host="beta.test").get(
        reverse("councils:council", args=[council.pk])
    )

    assert response.status_code == 404


def test_a_council_member_sees_only_their_units_council_in_the_list(client_for, world, council):
    services.council_create(actor=None, unit=world.sibling)

    page = client_for("council").get(reverse("councils:index")).text

    assert "Nord sykehjem" in page
    assert "Nord hjemmetjeneste" not in page


def test_the_list_shows_units_without_a_council(client_for, world, council):
    page = english(client_for("adviser")).get(reverse("councils:index")).text

    assert "2 units have no council" in page
    assert "Helsehuset" in page


def test_an_adviser_creates_the_missing_councils(client_for, world, council):
    response = client_for("adviser").post(reverse("councils:council_create"), {"unit": "all"})

    assert response.status_code == 302
    assert {u.name for u in world.area.units.exclude(council=None)} == {
        "Nord sykehjem",
        "Nord hjemmetjeneste",
        "Helsehuset",
    }


def test_a_manager_cannot_create_another_units_council(client_for, world, council):
    response = client_for("manager").post(
        reverse("councils:council_create"), {"unit": world.sibling.pk}
    )

    assert response.status_code == 404


def test_the_staff_menu_offers_the_councils_to_council_members(client_for, council):
    page = english(client_for("council")).get(reverse("core:dashboard")).text

    assert reverse("councils:index") in page


def test_the_staff_menu_offers_politicians_the_dialogue_meetings(client_for, world):
    page = client_for("politician").get(reverse("core:dashboard")).text

    assert reverse("councils:dialogue") in page


# --- the steps on the pages -------------------------------------------------------------


def test_a_sixth_representative_is_refused_and_what_was_typed_stays(client_for, council):
    for name in ("Ann A", "Bo B", "Cato C", "Dag D", "Eli E"):
        add_member(council, name)

    response = english(client_for("manager")).post(
        reverse("councils:member_create", args=[council.pk]),
        {
            "name": "Finn Fredriksen",
            "role": "representative",
            "represents": "users",
            "filled_by": "election",
            "starts_on": "01.02.2026",
            "email": "finn@example.org",
        },
    )

    assert response.status_code == 400
    assert "already has 5 user representatives on 01.02.2026" in response.text
    assert 'value="Finn Fredriksen"' in response.text
    assert "error-summary" in response.text
    assert not Membership.objects.filter(name="Finn Fredriksen").exists()


def test_a_member_is_added_on_the_page(client_for, council):
    response = client_for("manager").post(
        reverse("councils:member_create", args=[council.pk]),
        {
            "name": "Finn Fredriksen",
            "role": "chair",
            "represents": "users",
            "filled_by": "election",
            "starts_on": "01.02.2026",
            "training_on": "15.02.2026",
        },
    )

    assert response.status_code == 302
    member = Membership.objects.get()
    assert (member.ends_on, member.training_on) == (date(2028, 1, 31), date(2026, 2, 15))


def test_a_meeting_is_planned_on_the_page_with_its_standing_items(client_for, plan):
    response = client_for("manager").post(
        reverse("councils:meeting_create", args=[plan.council_id, 2026]),
        {"kind": "council", "date": "12.05.2026", "time": "18:00", "place": "Kantina"},
    )

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert meeting.items.count() == 3
    assert meeting.starts_at == at(date(2026, 5, 12))


def test_a_meeting_outside_the_plan_is_refused_on_the_page(client_for, plan):
    response = english(client_for("manager")).post(
        reverse("councils:meeting_create", args=[plan.council_id, 2026]),
        {"kind": "council", "date": "12.05.2027", "time": "18:00", "place": "Kantina"},
    )

    assert response.status_code == 400
    assert "outside the 2026 plan" in response.text
    assert 'value="Kantina"' in response.text
    assert not Meeting.objects.exists()


def test_a_flagged_item_is_shown_and_the_notice_waits(client_for, meeting):
    advise(meeting, "Klage", description="Min mor har falt.")
    client = english(client_for("manager"))

    response = client.post(reverse("councils:notice_send", args=[meeting.pk]), follow=True)

    assert "may be about an individual case" in response.text
    assert "“Min mor” – someone&#x27;s relative (background)" in response.text
    assert Meeting.objects.get().state == Meeting.State.PLANNED


def test_the_confirmation_is_made_on_the_meeting_page(client_for, meeting):
    item = advise(meeting, "Klage", description="Min mor har falt.")

    client_for("manager").post(
        reverse("councils:item_confirm", args=[meeting.pk, item.pk]),
        {"note": "Gjelder rutiner for alle."},
    )

    assert not AgendaItem.objects.get(pk=item.pk).needs_confirmation


def test_the_notice_is_sent_from_the_page(client_for, meeting):
    response = client_for("manager").post(reverse("councils:notice_send", args=[meeting.pk]))
    send_queued()

    assert response.status_code == 302
    assert Meeting.objects.get().state == Meeting.State.NOTICE_SENT
    assert len(mail.outbox) == 5


def test_the_minutes_are_written_on_the_page(client_for, meeting, members):
    item = advise(meeting)
    services.meeting_send_notice(actor=None, meeting=meeting, send_mail=False)
    data = {f"attendance-{m.pk}": "present" for m in members.values()}
    data[f"attendance-{members['second'].pk}"] = "apology"
    for each in meeting.items.all():
        data[f"discussion-{each.pk}"] = ""
        data[f"resolution-{each.pk}"] = "Godkjent."
    data[f"discussion-{item.pk}"] = "Rådet drøftet tilbudet."
    data[f"resolution-{item.pk}"] = "Rådet anbefaler to ettermiddager i uka."

    response = client_for("manager").post(reverse("councils:minutes", args=[meeting.pk]), data)

    assert response.status_code == 302
    assert Meeting.objects.get().state == Meeting.State.HELD
    assert Attendance.objects.get(membership=members["second"]).status == "apology"
    assert (
        AgendaItem.objects.get(pk=item.pk).resolution == "Rådet anbefaler to ettermiddager i uka."
    )


def test_the_minutes_form_offers_the_standing_resolutions(client_for, meeting):
    services.meeting_send_notice(actor=None, meeting=meeting, send_mail=False)

    page = english(client_for("manager")).get(reverse("councils:minutes", args=[meeting.pk])).text

    assert "The notice and the agenda were approved." in page


def test_approving_from_the_page_locks_the_minutes(client_for, meeting):
    held(meeting)

    client_for("manager").post(reverse("councils:minutes_approve", args=[meeting.pk]))
    response = english(client_for("manager")).post(
        reverse("councils:item_create", args=[meeting.pk]),
        {"title": "For sent", "theme": "", "description": "", "proposal": ""},
    )

    assert Meeting.objects.get().state == Meeting.State.MINUTES_APPROVED
    assert response.status_code == 400
    assert "approved and locked" in response.text


def test_the_meeting_page_tells_of_a_bounce(client_for, meeting, members, settings):
    settings.EMAIL_BACKEND = "tests.councils.mailbox.RefusingBackend"
    Membership.objects.filter(pk=members["first"].pk).update(email="nils@bounce.example")
    services.meeting_send_notice(actor=None, meeting=meeting)
    send_queued()

    page = english(client_for("manager")).get(meeting.get_absolute_url()).text

    assert "Papers that did not reach their recipient" in page
    assert "Notice to Nils Nilsen (nils@bounce.example):" in page
    assert "Send the notice again to those it did not reach" in page


def test_registrations_are_kept_on_their_page(client_for, plan, members):
    dialogue = services.meeting_create(
        actor=None, plan=plan, kind=Meeting.Kind.DIALOGUE, starts_at=at(date(2026, 5, 5))
    )

    client_for("manager").post(
        reverse("councils:registrations", args=[dialogue.pk]),
        {"name": "Jon Lie", "affiliation": "HSO-utvalget"},
    )

    assert dialogue.registrations.get().name == "Jon Lie"


def test_the_settings_are_saved_by_an_administrator(client_for, world):
    from medvirk.councils import selectors

    current = selectors.settings_for(world.alpha)
    data = {name: getattr(current, name) for name in services.SETTINGS_FIELDS}
    data["max_meetings"] = 6

    response = client_for("admin").post(reverse("councils:settings"), data)

    assert response.status_code == 302
    assert selectors.settings_for(world.alpha).max_meetings == 6


def test_the_minutes_page_of_a_planned_meeting_sends_the_secretary_back(client_for, meeting):
    response = client_for("manager").get(reverse("councils:minutes", args=[meeting.pk]))

    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()


def test_the_minutes_pdf_of_a_planned_meeting_is_not_found(client_for, meeting):
    assert status_of(client_for, "manager", reverse("councils:minutes_pdf", args=[meeting.pk])) == (
        404
    )


def test_every_role_sees_what_it_may_on_the_council_page(client_for, council, members):
    page = english(client_for("council")).get(reverse("councils:council", args=[council.pk])).text

    assert "Kari Leder" in page
    assert reverse("councils:member_create", args=[council.pk]) not in page
