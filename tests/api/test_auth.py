"""Who the API lets in: a valid key, with the operation's scope, for its own municipality
only, and no more often than the rate limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from medvirk.api.models import ApiKey, Scope

from ..surveys.conftest import make_round
from .conftest import api_client

READS = {
    "/api/v1/rounds": Scope.ROUNDS_READ,
    "/api/v1/results": Scope.RESULTS_READ,
}


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer mvk_00000000_" + "a" * 43],
)
def test_no_valid_key_is_401_in_json(world, header):
    client = api_client(None)
    extra = {"HTTP_AUTHORIZATION": header} if header else {}

    response = client.get("/api/v1/rounds", **extra)

    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_a_key_with_the_right_prefix_and_a_wrong_secret_is_refused(make_key):
    plain = make_key(Scope.ROUNDS_READ)
    forged = plain[:-4] + ("AAAA" if not plain.endswith("AAAA") else "BBBB")

    assert api_client(forged).get("/api/v1/rounds").status_code == 401


@pytest.mark.parametrize("path", READS)
def test_a_key_without_the_scope_is_403_in_json(make_key, path):
    others = [scope for scope in Scope if scope != READS[path]]
    plain = make_key(*others)

    response = api_client(plain).get(path)

    assert response.status_code == 403
    assert READS[path].value in response.json()["detail"]


def test_the_import_needs_the_write_scope(make_key, world, questionnaires):
    round_ = make_round(world, questionnaires)
    plain = make_key(Scope.ROUNDS_READ, Scope.RESULTS_READ)

    response = api_client(plain).post(
        f"/api/v1/rounds/{round_.pk}/recipients", b"x", content_type="text/csv"
    )

    assert response.status_code == 403


def test_a_revoked_key_is_refused(make_key):
    plain = make_key(Scope.ROUNDS_READ)
    ApiKey.objects.update(revoked_at=timezone.now())

    assert api_client(plain).get("/api/v1/rounds").status_code == 401


def test_a_key_sees_only_its_own_municipality(make_key, world, questionnaires):
    alpha_round = make_round(world, questionnaires, name="Alfa 2026")
    beta_round = make_round(
        world,
        questionnaires,
        name="Beta 2026",
        municipality=world.beta,
        service_area=world.foreign_unit.service_area,
        units=[world.foreign_unit],
    )
    beta = api_client(make_key(*Scope, municipality=world.beta))
    alpha = api_client(make_key(*Scope))

    assert [r["name"] for r in beta.get("/api/v1/rounds").json()] == ["Beta 2026"]
    assert [r["name"] for r in alpha.get("/api/v1/rounds").json()] == ["Alfa 2026"]
    assert beta.get(f"/api/v1/rounds/{alpha_round.pk}").status_code == 404
    assert alpha.get(f"/api/v1/rounds/{beta_round.pk}").status_code == 404
    assert (
        beta.post(
            f"/api/v1/rounds/{alpha_round.pk}/recipients", b"x", content_type="text/csv"
        ).status_code
        == 404
    )


def test_last_use_is_written_at_most_once_a_minute(make_key):
    plain = make_key(Scope.ROUNDS_READ)
    client = api_client(plain)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.get("/api/v1/rounds")
        first = ApiKey.objects.get().last_used_at
        assert first is not None
        clock.shift(timedelta(seconds=30))
        client.get("/api/v1/rounds")
        assert ApiKey.objects.get().last_used_at == first
        clock.shift(timedelta(seconds=31))
        client.get("/api/v1/rounds")
        assert ApiKey.objects.get().last_used_at == first + timedelta(seconds=61)


def test_over_the_rate_limit_is_429_with_retry_after(make_key, settings):
    settings.MEDVIRK_API_RATE_PER_MINUTE = 3
    client = api_client(make_key(Scope.ROUNDS_READ))
    other = api_client(make_key(Scope.ROUNDS_READ, name="Other"))
    start = timezone.now().replace(second=10, microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        statuses = [client.get("/api/v1/rounds").status_code for _ in range(4)]
        refused = client.get("/api/v1/rounds")

        assert statuses == [200, 200, 200, 429]
        assert refused.status_code == 429
        assert refused["Retry-After"] == "50"
        assert refused.json() == {"detail": "Too many requests."}
        # Another key has its own limit; the next minute starts again.
        assert other.get("/api/v1/rounds").status_code == 200
        clock.shift(timedelta(seconds=50))
        assert client.get("/api/v1/rounds").status_code == 200
