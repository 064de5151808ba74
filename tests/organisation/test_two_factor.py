"""Two-factor sign-in: who must use it, and that a password alone opens nothing for them.

Sign-in goes through the real pages, and codes come from the authenticator app's side: the
key read from the setup page, turned into a code with the TOTP algorithm (RFC 6238).
"""

from __future__ import annotations

import re
import time
from base64 import b32decode

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from medvirk.organisation.models import Municipality, Role
from medvirk.organisation.rules import must_use_two_factor
from tests.factories import PASSWORD, MunicipalityFactory, RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

MUST = ["admin", "adviser"]
MAY = ["manager", "staff", "council", "politician"]
# Pages that show recipients' names or the per-response file sit behind these.
GUARDED = [
    "/staff/",
    "/staff/surveys/",
    "/staff/results/",
    "/staff/users/",
    "/staff/organisation/settings/",
    "/admin/",
]


@pytest.fixture
def fresh(world):
    """The world's people, as they are before setting up an app (no device)."""
    TOTPDevice.objects.all().delete()
    return world


def password_only(username: str) -> Client:
    client = Client(HTTP_HOST="alpha.test")
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, "the password step failed"
    return client


def code_for(key_text: str) -> str:
    """What the authenticator app shows now for the key typed into it."""
    key = b32decode(key_text.replace(" ", ""))
    return f"{totp(key, t0=0, step=30, digits=6, drift=0):06d}"


def shown_key(page: str) -> str:
    found = re.search(r'class="secret-key"><code>([A-Z2-7 ]+)</code>', page)
    assert found, "the setup page shows no key"
    return found.group(1)


def enrol(client: Client) -> list[str]:
    """Set up the app through the pages; returns the backup codes shown."""
    page = client.get(reverse("organisation:two_factor_setup")).content.decode()
    response = client.post(
        reverse("organisation:two_factor_setup"), {"code": code_for(shown_key(page))}, follow=True
    )
    return re.findall(r"<li><code>([a-z2-7]{4} [a-z2-7]{4})</code></li>", response.content.decode())


@pytest.mark.parametrize("role", MUST)
def test_roles_that_see_names_or_exports_must_use_two_factor(world, role):
    assert must_use_two_factor(world.people[role])


@pytest.mark.parametrize("role", MAY)
def test_roles_that_see_neither_need_not(world, role):
    assert not must_use_two_factor(world.people[role])


@pytest.mark.parametrize("role", MUST)
def test_nobody_must_when_the_municipality_does_not_require_it(world, role):
    Municipality.objects.update(two_factor_required=False)

    assert not must_use_two_factor(world.people[role])


def test_the_rule_follows_the_municipality_the_role_is_in(world):
    world.alpha.two_factor_required = False
    world.alpha.save()

    assert must_use_two_factor(world.people["beta_admin"])
    assert not must_use_two_factor(world.people["admin"])


def test_a_superuser_must_when_any_municipality_requires_it(world):
    root = UserFactory.create(username="root", is_superuser=True, is_staff=True)

    assert must_use_two_factor(root)
    Municipality.objects.update(two_factor_required=False)
    del vars(root)["_medvirk_two_factor"]  # the answer must_use_two_factor keeps on the user
    assert not must_use_two_factor(root)


@pytest.mark.parametrize("role", MUST)
@pytest.mark.parametrize("path", GUARDED)
def test_a_password_alone_reaches_only_the_setup_page(fresh, role, path):
    client = password_only(role)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("organisation:two_factor_setup"))


@pytest.mark.parametrize("role", MAY)
def test_other_roles_go_on_with_a_password(fresh, role):
    client = password_only(role)

    assert client.get("/staff/").status_code == 200


def test_a_user_with_an_app_gives_a_code_even_where_not_required(fresh):
    client = password_only("manager")
    enrol(client)
    again = password_only("manager")

    response = again.get("/staff/")

    assert response["Location"].startswith(reverse("organisation:two_factor_verify"))


def test_right_after_the_password_comes_the_setup_page(fresh):
    client = Client(HTTP_HOST="alpha.test")

    response = client.post(
        reverse("login"), {"username": "admin", "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0].startswith(reverse("organisation:two_factor_setup"))
    assert "QR" in response.content.decode()


def test_a_post_with_a_password_alone_changes_nothing(fresh):
    client = password_only("admin")
    before = Municipality.objects.get(pk=fresh.alpha.pk).name

    response = client.post(
        reverse("organisation:settings"),
        {"name": "Kapret kommune", "brand_colour": "#1f4e79", "results_min_n": 5},
    )

    assert response.status_code == 302
    assert Municipality.objects.get(pk=fresh.alpha.pk).name == before


def test_the_setup_page_shows_a_qr_code_and_the_key_as_text(fresh):
    client = password_only("admin")

    page = client.get(reverse("organisation:two_factor_setup")).content.decode()

    assert "<svg" in page
    assert "otpauth://totp/Medvirk%3Aadmin?secret=" in page
    assert len(shown_key(page).replace(" ", "")) == 32


def test_setting_up_with_a_right_code_opens_the_pages_and_shows_backup_codes(fresh):
    client = password_only("admin")

    codes = enrol(client)

    assert len(codes) == 10
    assert client.get("/staff/").status_code == 200


def test_backup_codes_are_shown_once(fresh):
    client = password_only("admin")
    codes = enrol(client)

    again = client.get(reverse("organisation:two_factor_backup_codes")).content.decode()

    assert codes
    assert not any(code in again for code in codes)


def test_a_wrong_code_does_not_set_up_the_app(fresh):
    client = password_only("admin")
    client.get(reverse("organisation:two_factor_setup"))

    response = client.post(reverse("organisation:two_factor_setup"), {"code": "000000"})

    assert response.status_code == 400
    assert "Koden stemmer ikke" in response.content.decode()
    assert client.get("/staff/").status_code == 302


def test_the_next_sign_in_asks_for_a_code_and_accepts_the_apps(fresh):
    first = password_only("admin")
    page = first.get(reverse("organisation:two_factor_setup")).content.decode()
    key = shown_key(page)
    enrolled_at = time.time()
    first.post(reverse("organisation:two_factor_setup"), {"code": code_for(key)})
    later = enrolled_at + 120

    with time_machine.travel(later, tick=False):
        client = password_only("admin")
        asked = client.get("/staff/")
        response = client.post(
            reverse("organisation:two_factor_verify"),
            {"code": code_for(key), "next": "/staff/"},
        )
        opened = client.get("/staff/")

    assert asked["Location"].startswith(reverse("organisation:two_factor_verify"))
    assert response["Location"] == "/staff/"
    assert opened.status_code == 200


def test_a_backup_code_signs_in_once(fresh):
    codes = enrol(password_only("admin"))

    first = password_only("admin")
    used = first.post(reverse("organisation:two_factor_verify"), {"code": codes[0].upper()})
    second = password_only("admin")
    reused = second.post(reverse("organisation:two_factor_verify"), {"code": codes[0]})

    assert used.status_code == 302
    assert first.get("/staff/").status_code == 200
    assert reused.status_code == 400
    assert second.get("/staff/").status_code == 302


def test_guessing_codes_is_slowed_down(fresh):
    enrol(password_only("admin"))
    client = password_only("admin")
    for guess in ("111111", "222222", "333333"):
        client.post(reverse("organisation:two_factor_verify"), {"code": guess})
    device = TOTPDevice.objects.get(user=fresh.people["admin"])
    right = totp(device.bin_key, t0=0, step=30, digits=6, drift=0)

    response = client.post(reverse("organisation:two_factor_verify"), {"code": f"{right:06d}"})

    assert response.status_code == 400
    assert "For mange feil koder" in response.content.decode()
    assert client.get("/staff/").status_code == 302


def test_a_password_alone_cannot_replace_the_app(fresh):
    enrol(password_only("admin"))
    thief = password_only("admin")

    response = thief.get(reverse("organisation:two_factor_setup"))

    assert response["Location"].startswith(reverse("organisation:two_factor_verify"))
    assert TOTPDevice.objects.filter(user=fresh.people["admin"], confirmed=False).count() == 0


def test_setting_up_a_new_phone_retires_the_old_one(fresh):
    client = password_only("admin")
    old_codes = enrol(client)
    old_key = TOTPDevice.objects.get(user=fresh.people["admin"]).key

    with time_machine.travel(time.time() + 60, tick=False):
        new_codes = enrol(client)

    devices = TOTPDevice.objects.filter(user=fresh.people["admin"])
    assert [d.key != old_key and d.confirmed for d in devices] == [True]
    assert set(old_codes).isdisjoint(new_codes)
    assert StaticToken.objects.filter(device__user=fresh.people["admin"]).count() == 10


def test_a_system_administrator_removes_a_lost_phone(world, client_for):
    adviser = world.people["adviser"]
    StaticDevice.objects.create(user=adviser, name="backup codes", confirmed=True)

    client_for("admin").post(reverse("organisation:user_two_factor_reset", args=[adviser.pk]))
    client = password_only("adviser")

    assert not TOTPDevice.objects.filter(user=adviser).exists()
    assert not StaticDevice.objects.filter(user=adviser).exists()
    assert client.get("/staff/")["Location"].startswith(reverse("organisation:two_factor_setup"))


def test_removing_the_app_ends_its_verified_sessions(world, client_for):
    adviser = client_for("adviser")
    assert adviser.get("/staff/").status_code == 200

    client_for("admin").post(
        reverse("organisation:user_two_factor_reset", args=[world.people["adviser"].pk])
    )

    assert adviser.get("/staff/").status_code == 302


def test_only_a_system_administrator_removes_an_app(world, client_for):
    response = client_for("adviser").post(
        reverse("organisation:user_two_factor_reset", args=[world.people["manager"].pk])
    )

    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=world.people["manager"]).exists()


def test_the_administrator_turns_the_requirement_off_and_on_in_the_settings(world, client_for):
    client = client_for("admin")
    form = {"name": "Alfa kommune", "host": "alpha.test", "brand_colour": "#1f4e79"}

    client.post(reverse("organisation:settings"), {**form, "results_min_n": 5})
    off = Municipality.objects.get(pk=world.alpha.pk).two_factor_required
    client.post(
        reverse("organisation:settings"),
        {**form, "results_min_n": 5, "two_factor_required": "on"},
    )
    on = Municipality.objects.get(pk=world.alpha.pk).two_factor_required

    assert (off, on) == (False, True)


def test_a_new_municipality_takes_the_installation_default(db, settings):
    settings.MEDVIRK_TWO_FACTOR_DEFAULT = False
    relaxed = MunicipalityFactory.create()
    settings.MEDVIRK_TWO_FACTOR_DEFAULT = True
    strict = MunicipalityFactory.create()

    assert (relaxed.two_factor_required, strict.two_factor_required) == (False, True)


def test_the_demo_municipality_does_not_require_it(db):
    from medvirk.organisation import demo

    result = demo.load_demo(password="demo-passord-for-test")

    assert result.municipality.two_factor_required is False


def test_a_user_page_says_whether_two_factor_is_set_up(world, client_for):
    without = UserFactory.create(username="uten", two_factor=False)
    RoleAssignmentFactory.create(user=without, municipality=world.alpha, role=Role.POLITICIAN)
    client = client_for("admin")

    with_app = client.get(reverse("organisation:user_detail", args=[world.people["adviser"].pk]))
    without_app = client.get(reverse("organisation:user_detail", args=[without.pk]))

    assert "Tofaktor-innlogging er satt opp." in with_app.content.decode()
    assert "Tofaktor-innlogging er ikke satt opp." in without_app.content.decode()


def test_next_never_leads_off_the_site(fresh):
    codes = enrol(password_only("admin"))
    client = password_only("admin")

    response = client.post(
        reverse("organisation:two_factor_verify"),
        {"code": codes[0], "next": "https://evil.example/staff/"},
    )

    assert response["Location"] == reverse("core:dashboard")
