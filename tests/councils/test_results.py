"""Survey results in the councils: what members see, figures on an agenda, movement."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from medvirk.councils import selectors, services
from medvirk.results import services as results
from medvirk.surveys.models import Audience

from ..results.conftest import (  # noqa: F401  (fixtures)
    Answered,
    add_responses,
    answered,
    answered_round,
    answers,
    close,
    open_round,
    questionnaires,
)
from .conftest import advise, english


def publish(found: Answered) -> None:
    results.results_publish(actor=None, result_set=found.result_set)


@pytest.fixture
def surveyed(world, questionnaires) -> Answered:  # noqa: F811
    """A closed round in which every unit has enough respondents to be shown."""
    round_ = open_round(world, questionnaires, name="Brukerundersøkelse 2026", days_ago=20)
    for unit, firsts in (
        (world.unit, "544354"),
        (world.sibling, "333333"),
        (world.loose_unit, "4444444"),
    ):
        add_responses(round_, unit, [answers(first) for first in firsts])
    close(round_)
    return Answered(round_, results.results_compute(actor=None, round_=round_))


def test_a_council_member_sees_their_units_published_results(world, council, surveyed):
    publish(surveyed)

    found = selectors.unit_cells(user=world.people["council"], council=council)

    key = f"unit-{world.unit.pk}"
    assert [(cell.key, cell.audience) for cell in found] == [(key, "users"), (key, "relatives")]


def test_a_council_member_does_not_see_results_before_they_are_published(world, council, surveyed):
    assert selectors.unit_cells(user=world.people["council"], council=council) == []


def test_the_unit_manager_sees_results_ready_to_publish(world, council, surveyed):
    found = selectors.unit_cells(user=world.people["manager"], council=council)

    assert {cell.key for cell in found} == {f"unit-{world.unit.pk}"}


def test_a_council_member_does_not_find_another_units_council(world, client_for, surveyed):
    other = services.council_create(actor=None, unit=world.loose_unit)
    publish(surveyed)

    response = client_for("council").get(reverse("councils:council", args=[other.pk]))

    assert response.status_code == 404


def test_the_council_page_links_to_the_units_results_and_report(
    world, client_for, council, surveyed
):
    publish(surveyed)

    page = english(client_for("council")).get(reverse("councils:council", args=[council.pk])).text

    key = f"unit-{world.unit.pk}"
    assert reverse("results:cell", args=[surveyed.round.pk, Audience.USERS, key]) in page
    assert reverse("results:cell_report", args=[surveyed.round.pk, Audience.USERS, key]) in page


def test_a_council_member_opens_the_units_pdf_report(world, client_for, council, surveyed):
    publish(surveyed)
    url = reverse(
        "results:cell_report", args=[surveyed.round.pk, Audience.USERS, f"unit-{world.unit.pk}"]
    )

    response = client_for("council").get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_a_survey_item_carries_the_chosen_statements_figures(world, meeting, surveyed):
    item = advise(meeting, "Brukerundersøkelsen")
    cell = surveyed.cell(f"unit-{world.unit.pk}")

    item = services.agenda_item_attach_results(
        actor=None, item=item, cell=cell, statement_keys=["s01"]
    )

    figures = selectors.item_figures(item)
    assert figures is not None
    assert [(row.number, row.mean_text) for row in figures.rows] == [(1, "4.17")]
    assert (
        item.theme
        == "Brukerundersøkelser og andre vurderinger av betydning for kvalitet og utvikling"
    )


def test_a_suppressed_cell_cannot_be_attached(world, answered):  # noqa: F811
    council = services.council_create(actor=None, unit=world.sibling)
    plan = services.meeting_plan_create(actor=None, council=council, year=2026)
    from .conftest import at

    meeting = services.meeting_create(
        actor=None, plan=plan, kind="council", starts_at=at(date(2026, 5, 1))
    )
    item = advise(meeting, "Brukerundersøkelsen")

    with pytest.raises(ValidationError) as refused:
        services.agenda_item_attach_results(
            actor=None,
            item=item,
            cell=answered.cell(f"unit-{world.sibling.pk}"),
            statement_keys=["s01"],
        )

    assert refused.value.code == "suppressed"
    assert not item.__class__.objects.get(pk=item.pk).has_results


def test_another_units_cell_cannot_be_attached(world, meeting, surveyed):
    item = advise(meeting, "Brukerundersøkelsen")

    with pytest.raises(ValidationError):
        services.agenda_item_attach_results(
            actor=None,
            item=item,
            cell=surveyed.cell(f"unit-{world.loose_unit.pk}"),
            statement_keys=["s01"],
        )


def test_the_attach_page_refuses_a_hidden_cell_with_a_message(
    world,
    client_for,
    answered,  # noqa: F811
):
    council = services.council_create(actor=None, unit=world.sibling)
    plan = services.meeting_plan_create(actor=None, council=council, year=2026)
    from .conftest import at

    meeting = services.meeting_create(
        actor=None, plan=plan, kind="council", starts_at=at(date(2026, 5, 1))
    )
    item = advise(meeting, "Brukerundersøkelsen")
    cell = answered.cell(f"unit-{world.sibling.pk}")
    client = english(client_for("adviser"))

    response = client.post(
        reverse("councils:item_results", args=[meeting.pk, item.pk]),
        {"cell": cell.pk, "statements": ["s01"]},
    )

    assert response.status_code == 400
    assert "hidden because too few answered" in response.text
