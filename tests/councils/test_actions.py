"""The unit's improvement plan: actions tied to statements or feedback, and how the
statements moved."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from medvirk.councils import selectors, services
from medvirk.councils.models import ImprovementAction
from medvirk.results import services as results

from ..results.conftest import (  # noqa: F401  (fixtures)
    add_responses,
    answers,
    close,
    open_round,
    questionnaires,
)
from .conftest import english


@pytest.fixture
def two_rounds(world, questionnaires):  # noqa: F811
    first = open_round(world, questionnaires, name="Brukerundersøkelse 2025", days_ago=400)
    add_responses(first, world.unit, [answers(a) for a in "223232"])
    add_responses(first, world.loose_unit, [answers("4")] * 6)
    close(first)
    results.results_compute(actor=None, round_=first)
    second = open_round(world, questionnaires, name="Brukerundersøkelse 2026", days_ago=30)
    add_responses(second, world.unit, [answers(a) for a in "554554"])
    add_responses(second, world.loose_unit, [answers("4")] * 6)
    close(second)
    results.results_compute(actor=None, round_=second)
    return first, second


def test_an_action_shows_how_its_statements_moved_at_the_next_round(council, two_rounds):
    first, second = two_rounds
    action = services.action_create(
        actor=None,
        council=council,
        data={
            "title": "Faste tider",
            "round": first,
            "statement_keys": ["s01", "s02"],
            "owner": "Mona Manager",
        },
    )

    movement = selectors.action_movement(action)

    assert movement.later == second
    assert [(r.number, r.before, r.after, r.change, r.significant) for r in movement.rows] == [
        (1, "2.33", "4.67", "+2.33", True),
        (2, "3.00", "3.00", "0.00", False),
    ]


def test_an_action_without_a_later_round_says_so(council, two_rounds):
    _first, second = two_rounds
    action = services.action_create(
        actor=None,
        council=council,
        data={"title": "Neste", "round": second, "statement_keys": ["s01"], "owner": "Mona"},
    )

    movement = selectors.action_movement(action)

    assert movement.later is None
    assert movement.note == "No later survey has results compared with Brukerundersøkelse 2026 yet."


def test_an_action_needs_statements_or_a_feedback_theme(council):
    with pytest.raises(ValidationError) as refused:
        services.action_create(actor=None, council=council, data={"title": "Noe", "owner": "Mona"})

    assert "feedback_theme" in refused.value.message_dict


def test_an_action_on_a_feedback_theme_needs_no_survey(council):
    action = services.action_create(
        actor=None,
        council=council,
        data={"title": "Bedre mat", "feedback_theme": "Måltider", "owner": "Mona"},
    )

    assert action.status == ImprovementAction.Status.PLANNED


def test_an_action_refuses_statements_the_questionnaire_does_not_have(council, two_rounds):
    first, _second = two_rounds

    with pytest.raises(ValidationError) as refused:
        services.action_create(
            actor=None,
            council=council,
            data={"title": "X", "round": first, "statement_keys": ["s99"], "owner": "Mona"},
        )

    assert "s99" in refused.value.message_dict["statement_keys"][0]


def test_a_done_action_gets_its_completion_date(council):
    action = services.action_create(
        actor=None,
        council=council,
        data={
            "title": "Bedre mat",
            "feedback_theme": "Måltider",
            "owner": "Mona",
            "status": "done",
        },
    )

    assert action.completed_on is not None


def test_the_improvement_plan_page_shows_the_movement(client_for, council, two_rounds):
    first, _second = two_rounds
    services.action_create(
        actor=None,
        council=council,
        data={"title": "Faste tider", "round": first, "statement_keys": ["s01"], "owner": "Mona"},
    )

    page = english(client_for("council")).get(reverse("councils:actions", args=[council.pk])).text

    assert "+2.33" in page
    assert "real change" in page


def test_an_action_is_made_on_the_page_with_its_statements(client_for, council, two_rounds):
    first, _second = two_rounds

    response = english(client_for("manager")).post(
        reverse("councils:action_create", args=[council.pk]),
        {
            "title": "Faste tider",
            "round": first.pk,
            "statements": ["users:s01", "users:s02"],
            "owner": "Mona Manager",
            "status": "planned",
        },
    )

    assert response.status_code == 302
    assert ImprovementAction.objects.get().statement_keys == ["s01", "s02"]


def test_statements_of_both_audiences_at_once_are_refused(client_for, council, two_rounds):
    first, _second = two_rounds

    response = english(client_for("manager")).post(
        reverse("councils:action_create", args=[council.pk]),
        {
            "title": "Faste tider",
            "round": first.pk,
            "statements": ["users:s01", "relatives:p01"],
            "owner": "Mona Manager",
            "status": "planned",
        },
    )

    assert response.status_code == 400
    assert not ImprovementAction.objects.exists()
