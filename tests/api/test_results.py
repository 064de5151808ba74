"""The API's results are the public pages' results: the same groups, the same figures, and
nothing of a group below the smallest group, read with every combination of scopes."""

from __future__ import annotations

import html
import itertools
import json
import re
from typing import Any

import pytest
from django.test import Client

from medvirk.api.models import Scope
from medvirk.results import presentation
from medvirk.results.models import ResultCell

from ..results.conftest import Answered
from .conftest import api_client

EVERY_SCOPE_SET = [
    combination
    for size in range(1, len(Scope) + 1)
    for combination in itertools.combinations(Scope, size)
]


def every_results_answer(client: Client, answered: Answered) -> dict[str, Any]:
    """Every results endpoint's answer for the round, by path (status and body)."""
    paths = ["/api/v1/results"] + [
        f"/api/v1/results/{answered.round.pk}?audience={audience}"
        for audience in ("users", "relatives")
    ]
    return {path: (r.status_code, r.json()) for path in paths for r in [client.get(path)]}


def groups_of(body: object) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = body.get("groups", []) if isinstance(body, dict) else []
    return groups


@pytest.mark.parametrize("scopes", EVERY_SCOPE_SET, ids=lambda s: "+".join(x.value for x in s))
def test_no_results_endpoint_shows_a_group_below_the_smallest(
    make_key, world, small_group: Answered, scopes
):
    min_n = world.alpha.results_min_n
    answers = every_results_answer(api_client(make_key(*scopes)), small_group)

    for path, (status, body) in answers.items():
        if Scope.RESULTS_READ not in scopes:
            assert status == 403, path
            continue
        assert status in (200, 404), path
        for group in groups_of(body):
            if 0 < group["responses"] < min_n:
                assert (group["shown"], group["figures"]) == (False, None), group["name"]
            for row in (group["figures"] or {}).get("statements", []):
                assert row["n"] is None or row["n"] >= min_n, (group["name"], row)
        # Nord hjemmetjeneste's figures (every statement but the first 1, importance 2) are
        # the only means of 1 or importance of 2 the round could have.
        text = json.dumps(body)
        assert not re.search(r'"(mean|importance)": (1\.0|2\.0)[,}]', text), path


def test_the_search_would_find_a_shown_groups_figures(make_key, small_group: Answered):
    """The search above can fail: the same read finds Helsehuset's own figures (4)."""
    answers = every_results_answer(api_client(make_key(Scope.RESULTS_READ)), small_group)

    assert re.search(r'"mean": 4\.0[,}]', json.dumps(answers))


def test_a_suppressed_group_is_listed_with_why_and_no_numbers(
    make_key, world, small_group: Answered
):
    body = (
        api_client(make_key(Scope.RESULTS_READ))
        .get(f"/api/v1/results/{small_group.round.pk}")
        .json()
    )
    by_key = {group["key"]: group for group in body["groups"]}

    sibling = by_key[f"unit-{world.sibling.pk}"]
    assert sibling["shown"] is False
    assert sibling["figures"] is None
    assert sibling["reason"]
    assert body["min_n"] == world.alpha.results_min_n


def page_text(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_api_shows_what_the_public_pages_show(make_key, anonymous, small_group: Answered):
    round_id = small_group.round.pk
    body = api_client(make_key(Scope.RESULTS_READ)).get(f"/api/v1/results/{round_id}").json()
    listed = api_client(make_key(Scope.RESULTS_READ)).get("/api/v1/results").json()
    overview = page_text(anonymous, f"/resultater/{round_id}/")
    stored = ResultCell.objects.filter(result_set=small_group.result_set, audience="users")

    assert [r["round_id"] for r in listed] == [round_id]
    assert {g["key"] for g in body["groups"]} == set(stored.values_list("key", flat=True))
    shown = [g for g in body["groups"] if g["shown"]]
    assert shown
    for group in body["groups"]:
        assert group["name"] in overview
        if not group["shown"]:
            assert group["reason"] in overview
            continue
        page = page_text(anonymous, f"/resultater/{round_id}/users/{group['key']}/")
        for row in group["figures"]["statements"]:
            if row["suppressed"]:
                assert row["reason"] in page
                continue
            assert presentation.number(row["mean"], 2) in page, (group["name"], row)
            assert presentation.percent(row["agree_percent"] / 100) in page
            assert str(row["n"]) in page
        for section in group["figures"]["sections"]:
            if not section["suppressed"]:
                assert presentation.number(section["index"], 2) in page
