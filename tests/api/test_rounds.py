"""Rounds through the API: the counts the staff round pages show, per audience and unit."""

from __future__ import annotations

from medvirk.api.models import Scope
from medvirk.surveys.models import Audience

from ..results.conftest import add_responses, answers
from ..surveys import conftest as surveys_fixtures
from ..surveys.conftest import Survey
from .conftest import api_client

survey = surveys_fixtures.survey


def test_rounds_list_the_counts_per_round_and_audience(make_key, world, survey: Survey):
    add_responses(survey.round, world.unit, [answers("4")] * 2)
    add_responses(
        survey.round,
        world.unit,
        [answers("3")],
        audience=Audience.RELATIVES,
        questionnaire=survey.relatives_questionnaire,
    )

    [found] = api_client(make_key(Scope.ROUNDS_READ)).get("/api/v1/rounds").json()

    assert (found["id"], found["state"]) == (survey.round.pk, "open")
    assert (found["invited"], found["responses"], found["response_rate"]) == (4, 3, 0.75)
    assert found["audiences"] == [
        {"audience": "users", "invited": 3, "responses": 2, "response_rate": 2 / 3},
        {"audience": "relatives", "invited": 1, "responses": 1, "response_rate": 1.0},
    ]


def test_one_round_has_its_units_counts(make_key, world, survey: Survey):
    add_responses(survey.round, world.sibling, [answers("4")])

    found = api_client(make_key(Scope.ROUNDS_READ)).get(f"/api/v1/rounds/{survey.round.pk}")

    assert found.status_code == 200
    assert {u["unit"]: (u["invited"], u["responses"]) for u in found.json()["units"]} == {
        "Nord sykehjem": (3, 0),
        "Nord hjemmetjeneste": (1, 1),
    }
