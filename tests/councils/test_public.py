"""The public council pages: consenting members only, meeting dates, approved minutes."""

from __future__ import annotations

from django.urls import reverse

from medvirk.councils import services

from .conftest import advise, approved, english, held


def page(anonymous, name: str, *args: int) -> str:
    response = english(anonymous).get(reverse(name, args=args))
    assert response.status_code == 200
    return response.text


def test_the_public_list_links_to_every_council(anonymous, world, council):
    text = page(anonymous, "public_councils:councils")

    assert council.get_public_url() in text
    assert "Brukerrådet behandler ikke enkeltsaker" in text


def test_the_public_page_shows_only_members_who_consented(anonymous, council, members):
    text = page(anonymous, "public_councils:council", council.pk)

    assert "Kari Leder" in text
    assert "Nils Nilsen" in text
    assert "Anne Anonym" not in text
    assert "Mona Manager" not in text
    assert "anne@example.org" not in text
    assert "3 more members, whose names are not published." in text


def test_the_public_page_lists_the_meeting_dates(anonymous, council, meeting):
    text = page(anonymous, "public_councils:council", council.pk)

    assert "Tuesday 10 March 2026 at 18:00" in text


def test_approved_minutes_are_public_without_names_of_those_who_did_not_consent(
    anonymous, council, meeting
):
    advise(meeting)
    approved(meeting)

    text = page(anonymous, "public_councils:minutes", council.pk, meeting.pk)

    assert "Rådet anbefaler tiltak i sak 4/2026." in text
    assert "Kari Leder" in text
    assert "Anne Anonym" not in text
    assert "User representative (name not published)" in text


def test_minutes_not_yet_approved_are_not_public(anonymous, council, meeting):
    held(meeting)

    response = anonymous.get(reverse("public_councils:minutes", args=[council.pk, meeting.pk]))

    assert response.status_code == 404


def test_the_public_minutes_pdf_names_no_one_without_consent(anonymous, council, meeting):
    approved(meeting)

    response = anonymous.get(reverse("public_councils:minutes_pdf", args=[council.pk, meeting.pk]))

    from ..documents import pdf_text as text_of

    assert "Anne Anonym" not in text_of(response.content)


def test_the_public_minutes_name_no_registered_participant(anonymous, plan, members):
    from datetime import date

    from .conftest import at

    dialogue = services.meeting_create(
        actor=None, plan=plan, kind="dialogue", starts_at=at(date(2026, 5, 5))
    )
    services.registration_add(actor=None, meeting=dialogue, name="Jon Lie")
    approved(dialogue)

    text = page(anonymous, "public_councils:minutes", plan.council_id, dialogue.pk)

    assert "Jon Lie" not in text
    assert "1 participant." in text


def test_another_municipalitys_council_is_not_public_here(world, anonymous):
    other = services.council_create(actor=None, unit=world.foreign_unit)

    response = anonymous.get(reverse("public_councils:council", args=[other.pk]))

    assert response.status_code == 404


def test_the_front_page_links_to_the_councils(anonymous, world):
    assert reverse("public_councils:councils") in anonymous.get("/").text
