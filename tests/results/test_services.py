"""Computing, storing and publishing a round's results, against figures worked out by hand.

The round (conftest.ANSWERS): Nord sykehjem 6 respondents (statement 1: 5, 4, 4, 3, 5 and one
"don't know"), Nord hjemmetjeneste 2 (2, 1), Helsehuset 7 (4, 4, 5, 5, 3, 2, 4). Every other
statement is answered 3, with importance 4.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from medvirk.results import services
from medvirk.results.models import ResultSet
from medvirk.surveys.models import Audience

from .conftest import Answered

S1 = "s01"


def item(answered: Answered, key: str, statement: str = S1) -> dict[str, Any]:
    figures = answered.cell(key).figures
    assert figures is not None
    found: dict[str, Any] = figures["items"][statement]
    return found


def test_the_area_counts_every_answer_of_every_unit(answered: Answered):
    entry = item(answered, "area")

    assert (entry["n"], entry["total"], entry["dk"]) == (14, 51, 1)
    assert entry["counts"] == [1, 2, 2, 5, 4]


def test_a_unit_below_the_smallest_group_has_no_figures_stored(world, answered: Answered):
    cell = answered.cell(f"unit-{world.sibling.pk}")

    assert (cell.suppressed, cell.figures, cell.responses) == ("primary", None, 2)


def test_its_sibling_is_hidden_too_so_the_district_gives_nothing_away(world, answered: Answered):
    cell = answered.cell(f"unit-{world.unit.pk}")

    assert (cell.suppressed, cell.figures) == ("secondary", None)


def test_the_district_counts_its_hidden_units(world, answered: Answered):
    entry = item(answered, f"district-{world.district.pk}")

    assert (entry["n"], entry["total"]) == (7, 24)


def test_a_unit_of_seven_is_shown(world, answered: Answered):
    entry = item(answered, f"unit-{world.loose_unit.pk}")

    assert (entry["n"], entry["total"], entry["total_sq"]) == (7, 27, 111)


def test_a_section_index_is_the_mean_of_each_respondents_mean(world, answered: Answered):
    figures = answered.cell(f"unit-{world.loose_unit.pk}").figures
    assert figures is not None
    section = figures["sections"]["trivsel-og-trygghet"]

    # Section 1 has statements 1–6: statement 1 varies, 2–6 are all 3.
    means = [(first + 15) / 6 for first in (4, 4, 5, 5, 3, 2, 4)]
    assert section["n"] == 7
    assert math.isclose(section["total"], sum(means))


def test_the_round_is_ready_to_publish_once_closed(answered: Answered):
    assert answered.result_set.state == ResultSet.State.READY
    assert answered.result_set.responses == 15


def test_publishing_makes_the_results_public(answered: Answered):
    services.results_publish(actor=None, result_set=answered.result_set)

    assert ResultSet.objects.get().state == ResultSet.State.PUBLISHED


def test_a_round_with_no_relatives_answers_has_relatives_cells_with_none(answered: Answered):
    cell = answered.cell("area", Audience.RELATIVES)

    assert cell.responses == 0
    assert cell.figures is not None
    assert cell.figures["items"] != {}


def test_computing_a_draft_round_is_refused(world, questionnaires):
    from ..surveys.conftest import make_round

    draft = make_round(world, questionnaires, name="Utkast")

    with pytest.raises(ValidationError):
        services.results_compute(actor=None, round_=draft)


# --- statements with too few answers of their own --------------------------------------


def test_a_statement_most_did_not_answer_is_hidden_in_a_group_that_is_shown(world, questionnaires):
    from .conftest import add_responses, close, open_round

    round_ = open_round(world, questionnaires, name="Vet ikke")
    # Helsehuset: 7 respondents, but statement 1 has only 3 answers on the scale.
    rows = [answers_with("4"), answers_with("5"), answers_with("3")] + [answers_with("0")] * 4
    add_responses(round_, world.loose_unit, rows)
    add_responses(round_, world.unit, [answers_with("4")] * 9)
    close(round_)

    result_set = services.results_compute(actor=None, round_=round_)

    figures = result_set.cells.get(key=f"unit-{world.loose_unit.pk}", audience="users").figures
    assert figures is not None
    assert figures["items"][S1] == {"suppressed": "primary"}
    assert figures["items"]["s02"]["n"] == 7


def answers_with(first: str) -> tuple[str, str]:
    from .conftest import answers

    return answers(first)


# --- the municipality's smallest group --------------------------------------------------


def test_a_municipality_that_shows_groups_of_two_shows_the_two(world, answered_round):
    world.alpha.results_min_n = 3
    world.alpha.save()
    answered_round.refresh_from_db()

    result_set = services.results_compute(actor=None, round_=answered_round)

    assert result_set.min_n == 3
    assert result_set.cells.get(key=f"unit-{world.sibling.pk}", audience="users").suppressed == (
        "primary"
    )


def test_raising_the_smallest_group_protects_published_results_at_once(world, answered):
    from medvirk.organisation.services import municipality_update

    services.results_publish(actor=None, result_set=answered.result_set)

    municipality_update(actor=None, municipality=world.alpha, data={"results_min_n": 7})

    stored = ResultSet.objects.get(pk=answered.result_set.pk)
    nord = stored.cells.get(key=f"unit-{world.unit.pk}", audience="users")
    assert (stored.min_n, stored.state) == (7, ResultSet.State.PUBLISHED)
    assert (nord.suppressed, nord.figures, nord.responses) == ("primary", None, 6)


def test_the_worker_recomputes_results_made_with_another_smallest_group(world, answered):
    ResultSet.objects.filter(pk=answered.result_set.pk).update(min_n=3)

    assert services.compute_due() == 1
    assert ResultSet.objects.get(pk=answered.result_set.pk).min_n == 5


def test_the_smallest_group_cannot_be_set_below_three(world):
    world.alpha.results_min_n = 2

    with pytest.raises(ValidationError):
        world.alpha.full_clean()


# --- change since the previous round -----------------------------------------------------


def test_the_change_since_the_previous_round_is_the_difference_of_the_means(
    world, questionnaires, answered
):
    from .conftest import add_responses, answers, close, open_round

    later = open_round(world, questionnaires, name="Brukerundersøkelse 2027", days_ago=5)
    add_responses(later, world.loose_unit, [answers("5")] * 14)
    add_responses(later, world.unit, [answers("4")] * 9)
    close(later)

    result_set = services.results_compute(actor=None, round_=later)

    figures = result_set.cells.get(key=f"unit-{world.loose_unit.pk}", audience="users").figures
    assert figures is not None
    change = figures["change"][S1]
    assert result_set.compared_with == answered.round
    assert math.isclose(change["diff"], 5 - 27 / 7)
    assert change["significant"] is True


def test_a_group_hidden_in_the_previous_round_has_no_change(world, questionnaires, answered):
    from .conftest import add_responses, answers, close, open_round

    later = open_round(world, questionnaires, name="Brukerundersøkelse 2027", days_ago=5)
    add_responses(later, world.sibling, [answers("4")] * 9)
    add_responses(later, world.unit, [answers("4")] * 9)
    close(later)

    result_set = services.results_compute(actor=None, round_=later)

    figures = result_set.cells.get(key=f"unit-{world.sibling.pk}", audience="users").figures
    assert figures is not None
    assert "change" not in figures


@pytest.fixture
def later(world, questionnaires, answered) -> Answered:
    """A later round compared with ``answered``, where Helsehuset is shown in both."""
    from .conftest import add_responses, answers, close, open_round

    round_ = open_round(world, questionnaires, name="Brukerundersøkelse 2027", days_ago=5)
    add_responses(round_, world.loose_unit, [answers("5")] * 14)
    add_responses(round_, world.unit, [answers("4")] * 9)
    close(round_)
    return Answered(round_, services.results_compute(actor=None, round_=round_))


def shown_change(answered: Answered, key: str, *, public: bool) -> dict[str, Any]:
    from medvirk.results import presentation

    return presentation.changes_shown(answered.cell(key), public=public)


def test_no_public_change_against_a_round_that_was_never_published(world, later: Answered):
    """The change and this round's mean would give the unpublished round's mean."""
    assert shown_change(later, f"unit-{world.loose_unit.pk}", public=True) == {}


def test_staff_see_the_change_against_a_closed_round_they_may_see(world, later: Answered):
    assert S1 in shown_change(later, f"unit-{world.loose_unit.pk}", public=False)


def test_the_public_change_appears_once_the_round_compared_with_is_published(
    world, answered: Answered, later: Answered
):
    services.results_publish(actor=None, result_set=answered.result_set)

    assert S1 in shown_change(later, f"unit-{world.loose_unit.pk}", public=True)


def test_the_public_change_goes_when_the_round_compared_with_is_withdrawn(
    world, answered: Answered, later: Answered
):
    services.results_publish(actor=None, result_set=answered.result_set)
    services.results_withdraw(actor=None, result_set=answered.result_set)

    assert shown_change(later, f"unit-{world.loose_unit.pk}", public=True) == {}


def test_no_change_against_a_round_still_open(world, answered: Answered, later: Answered):
    ResultSet.objects.filter(pk=answered.result_set.pk).update(state=ResultSet.State.PRELIMINARY)

    assert shown_change(later, f"unit-{world.loose_unit.pk}", public=False) == {}


def test_no_public_page_or_static_file_shows_a_change_against_an_unpublished_round(
    world, later: Answered, tmp_path
):
    from django.test import Client

    from medvirk.results import static_export

    services.results_publish(actor=None, result_set=later.result_set)
    page = Client(HTTP_HOST="alpha.test").get(
        f"/resultater/{later.round.pk}/users/unit-{world.loose_unit.pk}/"
    )
    written = static_export.export_site(later.result_set, tmp_path)
    files = "".join(path.read_text() for path in written if path.suffix == ".html")

    # 5 − 27/7 = +1,14 is the change.
    assert page.status_code == 200
    assert "+1,14" not in page.content.decode()
    assert "+1,14" not in files


def test_the_public_page_shows_the_change_once_both_rounds_are_published(
    world, answered: Answered, later: Answered
):
    from django.test import Client

    services.results_publish(actor=None, result_set=answered.result_set)
    services.results_publish(actor=None, result_set=later.result_set)

    page = Client(HTTP_HOST="alpha.test").get(
        f"/resultater/{later.round.pk}/users/unit-{world.loose_unit.pk}/"
    )

    assert "+1,14" in page.content.decode()


# --- the worker recomputes what an older protection computed --------------------------------


def test_the_worker_recomputes_results_computed_by_an_older_disclosure_control(answered):
    ResultSet.objects.filter(pk=answered.result_set.pk).update(protection=1)

    assert services.compute_due() == 1
    assert ResultSet.objects.get(pk=answered.result_set.pk).protection == 2


def test_the_worker_recomputes_a_round_whose_comparison_was_computed_after_it(
    answered: Answered, later: Answered
):
    services.results_compute(actor=None, round_=answered.round)

    assert services.compute_due() == 1
    stored = ResultSet.objects.get(pk=later.result_set.pk)
    assert stored.computed_at > ResultSet.objects.get(pk=answered.result_set.pk).computed_at


# --- publishing --------------------------------------------------------------------------


def test_preliminary_results_cannot_be_published(world, questionnaires):
    from .conftest import add_responses, answers, open_round

    running = open_round(world, questionnaires, name="Pågår", days_ago=2)
    add_responses(running, world.unit, [answers("4")] * 6)
    result_set = services.results_compute(actor=None, round_=running)

    with pytest.raises(ValidationError):
        services.results_publish(actor=None, result_set=result_set)
    assert result_set.state == ResultSet.State.PRELIMINARY


def test_computing_published_results_again_keeps_them_published(answered: Answered):
    services.results_publish(actor=None, result_set=answered.result_set)

    again = services.results_compute(actor=None, round_=answered.round)

    assert again.state == ResultSet.State.PUBLISHED


def test_withdrawn_results_are_withdrawn(answered: Answered):
    services.results_publish(actor=None, result_set=answered.result_set)

    services.results_withdraw(actor=None, result_set=answered.result_set)

    assert ResultSet.objects.get().state == ResultSet.State.WITHDRAWN


def test_publishing_is_in_the_audit_log(answered: Answered):
    from medvirk.organisation.models import AuditEntry

    services.results_publish(actor=None, result_set=answered.result_set)

    assert AuditEntry.objects.filter(action="results.publish").count() == 1


# --- the worker ------------------------------------------------------------------------


def test_the_worker_computes_a_round_that_has_closed_without_results(answered_round):
    assert services.compute_due() == 1
    assert ResultSet.objects.get(round=answered_round).state == ResultSet.State.READY


def test_the_worker_leaves_computed_rounds_alone(answered: Answered):
    assert services.compute_due() == 0


# --- comments and the purge ----------------------------------------------------------------


def test_a_recipients_name_in_a_comment_is_flagged_when_the_round_is_purged(world, questionnaires):
    from medvirk.results.models import CommentReview
    from medvirk.surveys import services as surveys

    from .conftest import add_responses, answers, close, open_round

    round_ = open_round(world, questionnaires, name="Navn")
    add_responses(round_, world.unit, [answers("4")], comments=["Takk til Person n-shj 3!"])
    close(round_)

    surveys.recipients_purge(actor=None, round_=round_)

    (review,) = CommentReview.objects.filter(round=round_)
    assert [flag["kind"] for flag in review.flags] == ["name"]
