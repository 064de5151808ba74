"""The page layout: skip link, municipality name, logo and colour, staff menu by role."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from medvirk.organisation.models import Municipality


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "#225588").save(buffer, format="PNG")
    return buffer.getvalue()


def test_every_page_starts_with_a_skip_link_to_main(anonymous):
    html = anonymous.get(reverse("core:home")).text

    assert html.index('class="skip-link" href="#main"') < html.index("<header")
    assert '<main id="main"' in html


def test_page_shows_the_municipality_of_the_host(world):
    html = Client(HTTP_HOST="beta.test").get(reverse("core:home")).text

    assert "Beta kommune" in html
    assert "Alfa kommune" not in html


def test_unknown_host_with_several_municipalities_explains_itself(world):
    response = Client(HTTP_HOST="localhost").get(reverse("core:home"))

    assert response.status_code == 404
    assert "localhost" in response.text


@pytest.mark.django_db
def test_single_municipality_answers_on_any_allowed_host():
    Municipality.objects.create(name="Eneste kommune", slug="eneste", number="1234")

    assert "Eneste kommune" in Client(HTTP_HOST="127.0.0.1").get(reverse("core:home")).text


def test_admin_changes_logo_and_colour_and_every_page_shows_them(client_for, world):
    client = client_for("admin")
    response = client.post(
        reverse("organisation:settings"),
        {
            "name": "Alfa kommune",
            "host": "alpha.test",
            "brand_colour": "#005a30",
            "results_min_n": "5",
            "logo": SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png"),
        },
    )

    assert response.status_code == 302
    html = client.get(reverse("core:home")).text
    assert "--brand: #005a30;" in html
    assert '<img src="/media/logos/logo' in html


def test_brand_colour_too_light_for_white_text_is_refused(client_for, world):
    response = client_for("admin").post(
        reverse("organisation:settings"),
        {
            "name": "Alfa kommune",
            "host": "alpha.test",
            "brand_colour": "#ffcc00",
            "results_min_n": "5",
        },
    )

    assert response.status_code == 400
    assert Municipality.objects.get(pk=world.alpha.pk).brand_colour == "#1f4e79"


def test_a_smallest_group_below_three_is_refused_and_the_typed_values_stay(client_for, world):
    response = client_for("admin").post(
        reverse("organisation:settings"),
        {
            "name": "Alfa kommune 2",
            "host": "alpha.test",
            "brand_colour": "#1f4e79",
            "results_min_n": "2",
        },
    )

    assert response.status_code == 400
    assert 'value="Alfa kommune 2"' in response.text
    stored = Municipality.objects.get(pk=world.alpha.pk)
    assert (stored.name, stored.results_min_n) == ("Alfa kommune", 5)


@pytest.mark.parametrize(
    ("role", "menu"),
    [
        (
            "admin",
            [
                "/staff/",
                "/staff/organisation/",
                "/staff/surveys/",
                "/staff/results/",
                "/staff/councils/",
                "/staff/users/",
                "/staff/audit/",
                # The API's documentation and keys (issue 14): system administrators only.
                "/staff/api/",
            ],
        ),
        (
            "adviser",
            [
                "/staff/",
                "/staff/organisation/",
                "/staff/surveys/",
                "/staff/results/",
                "/staff/councils/",
                "/staff/audit/",
            ],
        ),
        (
            "manager",
            [
                "/staff/",
                "/staff/organisation/",
                "/staff/surveys/",
                "/staff/results/",
                "/staff/councils/",
            ],
        ),
        ("staff", ["/staff/", "/staff/organisation/"]),
        # Politicians read published results on the public pages and the dialogue meetings.
        ("politician", ["/staff/", "/staff/organisation/", "/staff/councils/dialogue/"]),
    ],
)
def test_staff_menu_shows_only_what_the_role_may_open(client_for, role, menu):
    response = client_for(role).get(reverse("core:dashboard"))

    assert [item["url"] for item in response.context["staff_menu"]] == menu


def test_a_logo_that_is_not_an_image_is_refused_and_nothing_changes(client_for, world):
    response = client_for("admin").post(
        reverse("organisation:settings"),
        {
            "name": "Alfa kommune",
            "host": "alpha.test",
            "brand_colour": "#1f4e79",
            "results_min_n": "5",
            "logo": SimpleUploadedFile("logo.png", b"<script>alert(1)</script>"),
        },
    )

    assert response.status_code == 400
    assert "Last opp et PNG- eller JPEG-bilde." in response.text
    assert not Municipality.objects.get(pk=world.alpha.pk).logo


def test_settings_save_without_reopening_a_stored_logo(client_for, world):
    client = client_for("admin")
    logo = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    data = {
        "name": "Alfa kommune",
        "host": "alpha.test",
        "brand_colour": "#1f4e79",
        "results_min_n": "5",
    }
    client.post(reverse("organisation:settings"), {**data, "logo": logo})
    stored = Municipality.objects.get(pk=world.alpha.pk).logo
    stored.storage.delete(stored.name)

    response = client.post(reverse("organisation:settings"), {**data, "name": "Alfa kommune 2"})

    assert response.status_code == 302
    assert Municipality.objects.get(pk=world.alpha.pk).name == "Alfa kommune 2"
