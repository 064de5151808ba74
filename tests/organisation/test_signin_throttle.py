"""Guessing staff passwords: throttled per account and per address, never locked for good.

Written from the attacker's side: the sign-in form over HTTP, from addresses the reverse
proxy reports (MEDVIRK_CLIENT_IP_HEADER), with the clock moved forward for the cool-off.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from medvirk.organisation.models import Role
from tests.factories import PASSWORD, RoleAssignmentFactory, UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("behind_proxy"),
]

LOCKED_TEXT = "For mange feil passord"


@pytest.fixture
def behind_proxy(settings):
    settings.MEDVIRK_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"


@pytest.fixture
def admin(world):
    return world.people["admin"]


def sign_in(username: str, password: str, *, address: str = "198.51.100.7") -> Client:
    """One visit to the sign-in page and one try, from ``address``; the client after it."""
    client = Client(HTTP_HOST="alpha.test", HTTP_X_REAL_IP=address)
    client.response = client.post(  # type: ignore[attr-defined]
        reverse("login"), {"username": username, "password": password}
    )
    return client


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def guess(username: str, times: int, *, address: str = "198.51.100.7") -> None:
    for attempt in range(times):
        sign_in(username, f"wrong-guess-{attempt}", address=address)


def test_the_right_password_signs_in(admin):
    client = sign_in("admin", PASSWORD)

    assert signed_in(client)


def test_forty_wrong_passwords_then_the_right_one_does_not_sign_in(admin):
    guess("admin", 40)

    client = sign_in("admin", PASSWORD)

    assert not signed_in(client)
    assert client.response.status_code == 429  # type: ignore[attr-defined]
    page = client.response.content.decode()  # type: ignore[attr-defined]
    assert LOCKED_TEXT in page
    assert "Prøv igjen om 15 minutter" in page


def test_the_lock_page_is_the_same_for_the_right_and_a_wrong_password(admin):
    guess("admin", 5)

    right = sign_in("admin", PASSWORD).response  # type: ignore[attr-defined]
    wrong = sign_in("admin", "another-wrong-one").response  # type: ignore[attr-defined]

    assert right.status_code == wrong.status_code == 429
    without_token = [
        line
        for line in right.content.decode().splitlines()
        if "csrfmiddlewaretoken" not in line and "kl." not in line
    ]
    other = [
        line
        for line in wrong.content.decode().splitlines()
        if "csrfmiddlewaretoken" not in line and "kl." not in line
    ]
    assert without_token == other


def test_after_the_cool_off_the_right_password_signs_in(admin):
    guess("admin", 40)

    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        client = sign_in("admin", PASSWORD)

    assert signed_in(client)


def test_a_try_during_the_lock_starts_the_wait_again(admin):
    start = timezone.now()
    guess("admin", 5)

    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        during = sign_in("admin", PASSWORD)
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        past_the_first_wait = sign_in("admin", PASSWORD)
    with time_machine.travel(start + timedelta(minutes=36), tick=False):
        after_a_quiet_wait = sign_in("admin", PASSWORD)

    assert not signed_in(during)
    assert not signed_in(past_the_first_wait)
    assert signed_in(after_a_quiet_wait)


def test_four_mistakes_do_not_lock(admin):
    guess("admin", 4)

    assert signed_in(sign_in("admin", PASSWORD))


def test_another_address_is_not_locked_out_of_the_account(admin):
    guess("admin", 40, address="198.51.100.7")

    assert signed_in(sign_in("admin", PASSWORD, address="203.0.113.20"))


def test_another_account_at_the_same_address_is_not_locked(world, admin):
    guess("admin", 5)

    assert signed_in(sign_in("adviser", PASSWORD))


def test_one_address_trying_many_accounts_is_locked(world):
    for number in range(30):
        guess(f"person{number}", 1)

    client = sign_in("adviser", PASSWORD)

    assert not signed_in(client)
    assert client.response.status_code == 429  # type: ignore[attr-defined]


def test_one_account_guessed_from_many_addresses_is_locked_there(admin):
    for number in range(20):
        guess("admin", 1, address=f"203.0.113.{number + 1}")

    client = sign_in("admin", PASSWORD, address="192.0.2.99")

    assert not signed_in(client)


def test_the_owner_signs_in_from_an_address_they_used_before_during_a_distributed_attack(admin):
    assert signed_in(sign_in("admin", PASSWORD, address="192.0.2.10"))
    for number in range(40):
        guess("admin", 1, address=f"203.0.113.{number + 1}")

    assert not signed_in(sign_in("admin", PASSWORD, address="192.0.2.99"))
    assert signed_in(sign_in("admin", PASSWORD, address="192.0.2.10"))


def test_the_username_is_counted_whatever_its_case(admin):
    for number in range(5):
        sign_in("ADMIN" if number % 2 else "Admin ", f"wrong-{number}")

    assert not signed_in(sign_in("admin", PASSWORD))


def test_a_forged_forwarded_for_does_not_give_a_fresh_address(settings, admin):
    settings.MEDVIRK_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    for number in range(5):
        client = Client(
            HTTP_HOST="alpha.test", HTTP_X_FORWARDED_FOR=f"10.9.9.{number}, 198.51.100.7"
        )
        client.post(reverse("login"), {"username": "admin", "password": f"wrong-{number}"})

    client = Client(HTTP_HOST="alpha.test", HTTP_X_FORWARDED_FOR="10.1.1.1, 198.51.100.7")
    client.post(reverse("login"), {"username": "admin", "password": PASSWORD})

    assert not signed_in(client)


def test_the_ipv6_neighbours_of_a_guesser_count_as_one(admin):
    for number in range(5):
        guess("admin", 1, address=f"2001:db8:1:2::{number + 1:x}")

    assert not signed_in(sign_in("admin", PASSWORD, address="2001:db8:1:2::ff"))


@override_settings(MEDVIRK_SIGNIN_FAILURES=3)
def test_the_limit_is_a_setting(admin):
    guess("admin", 3)

    assert not signed_in(sign_in("admin", PASSWORD))


def test_a_system_administrator_opens_the_lock_from_the_users_page(world, client_for):
    guess("manager", 40)
    admin_client = client_for("admin")
    manager = world.people["manager"]
    page = admin_client.get(reverse("organisation:user_detail", args=[manager.pk]))
    assert "wrong passwords for this account" in page.content.decode() or "feil passord" in (
        page.content.decode()
    )

    admin_client.post(reverse("organisation:user_signin_unlock", args=[manager.pk]))

    assert signed_in(sign_in("manager", PASSWORD))


def test_opening_the_lock_is_in_the_audit_log(world, client_for):
    guess("manager", 5)
    manager = world.people["manager"]

    client_for("admin").post(reverse("organisation:user_signin_unlock", args=[manager.pk]))

    log = client_for("admin").get(reverse("organisation:audit_log")).content.decode()
    assert "Innloggingssperre opphevet" in log


def test_only_a_system_administrator_opens_a_lock(world, client_for):
    guess("staff", 5)
    person = world.people["staff"]

    response = client_for("adviser").post(
        reverse("organisation:user_signin_unlock", args=[person.pk])
    )

    assert response.status_code == 403
    assert not signed_in(sign_in("staff", PASSWORD))


def test_an_account_of_another_municipality_cannot_be_opened(world, client_for):
    stranger = UserFactory.create(username="stranger")
    RoleAssignmentFactory.create(user=stranger, municipality=world.beta, role=Role.POLITICIAN)

    response = client_for("admin").post(
        reverse("organisation:user_signin_unlock", args=[stranger.pk])
    )

    assert response.status_code == 404
