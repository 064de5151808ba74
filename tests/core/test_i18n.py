"""Bokmål by default, nynorsk and English selectable, every string translated."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po
from django.test import Client
from django.urls import reverse

from medvirk.organisation import services

LOCALE = Path(__file__).resolve().parents[2] / "medvirk" / "locale"

BOKMAL_HEADING = "Si din mening om helse- og omsorgstjenestene i Alfa kommune"
ENGLISH_HEADING = "Your say in the health and care services of Alfa kommune"


def front_page(client: Client) -> str:
    return client.get(reverse("core:home")).text


def test_front_page_is_in_bokmal_by_default(anonymous):
    html = front_page(anonymous)

    assert BOKMAL_HEADING in html
    assert '<html lang="nb">' in html


@pytest.mark.parametrize("accept", ["en-US,en;q=0.9", "nn", "de-DE,de;q=0.9", "xx"])
def test_browser_language_does_not_change_bokmal(world, accept):
    client = Client(HTTP_HOST="alpha.test", HTTP_ACCEPT_LANGUAGE=accept)

    assert BOKMAL_HEADING in front_page(client)


def test_english_is_chosen_from_the_language_form(anonymous):
    anonymous.post(reverse("set_language"), {"language": "en", "next": "/"})

    html = front_page(anonymous)
    assert ENGLISH_HEADING in html
    assert '<html lang="en">' in html


def test_nynorsk_is_chosen_from_the_language_form(anonymous):
    anonymous.post(reverse("set_language"), {"language": "nn", "next": "/"})

    html = front_page(anonymous)
    assert '<html lang="nn">' in html
    assert BOKMAL_HEADING not in html


def test_unknown_language_from_the_form_keeps_bokmal(anonymous):
    anonymous.post(reverse("set_language"), {"language": "klingon", "next": "/"})

    assert BOKMAL_HEADING in front_page(anonymous)


def test_form_errors_come_in_the_users_language(client_for, world):
    client = client_for("admin")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    response = client.post(
        reverse("organisation:unit_create"),
        {"service_area": world.area.pk, "name": "X", "code": "x", "postal_code": "12"},
    )

    assert "Enter four digits." in response.text


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_every_string_is_translated(language):
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as po_file:
        catalogue = read_po(po_file)

    missing = [
        message.id
        for message in catalogue
        if message.id
        and (
            message.fuzzy
            or not message.string
            or (isinstance(message.string, tuple) and not all(message.string))
        )
    ]
    assert missing == []


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_every_translation_keeps_the_placeholders_of_its_text(language):
    # A translation whose %(name)s placeholders differ from the text's breaks the page that
    # fills them in; a "%" the text does not mean as a placeholder must be flagged so.
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as po_file:
        catalogue = read_po(po_file)

    problems = [
        (message.id, [str(error) for error in errors])
        for message, errors in catalogue.check()
        # Babel marks every text with a "%" as python-format; gettext's own flag says not.
        if "no-python-format" not in message.flags
    ]
    assert problems == []


def test_dates_are_shown_the_norwegian_way(client_for, world):
    services.unit_update(actor=world.people["admin"], unit=world.unit, data={"phone": "1"})

    html = client_for("admin").get(reverse("organisation:audit_log")).text
    entry = world.alpha.audit_entries.get()
    local = entry.created_at.astimezone(ZoneInfo("Europe/Oslo"))
    assert local.strftime("%d.%m.%Y %H:%M") in html
