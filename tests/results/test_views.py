"""The staff pages of results, per role, and what they show of which group."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from medvirk.core.models import BackgroundTask
from medvirk.results import services
from medvirk.results.models import CommentReview, ResultSet
from medvirk.surveys.models import Audience

from .conftest import Answered, add_responses, answers, close, open_round


def overview(answered: Answered) -> str:
    return reverse("results:round", args=[answered.round.pk])


def cell_url(answered: Answered, key: str, audience: str = Audience.USERS) -> str:
    return reverse("results:cell", args=[answered.round.pk, audience, key])


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("adviser", 200),
        ("manager", 200),
        ("council", 200),
        ("staff", 403),
        ("politician", 403),
        ("nobody", 403),
    ],
)
def test_the_overview_per_role(client_for, answered: Answered, role, status):
    assert client_for(role).get(overview(answered)).status_code == status


def test_another_municipalitys_administrator_does_not_find_the_round(
    client_for, answered: Answered
):
    assert client_for("beta_admin", host="beta.test").get(overview(answered)).status_code == 404


def test_the_heat_map_marks_hidden_groups_and_shows_the_area(world, client_for, answered):
    page = client_for("adviser").get(overview(answered)).text

    assert "Nord hjemmetjeneste" in page
    assert page.count('class="num heat-hidden"') == 2 * 23
    assert ">3,6<" in page  # the area's statement 1: 51 / 14


def test_the_heat_map_sorts_by_a_statement(client_for, answered: Answered):
    page = client_for("adviser").get(overview(answered), {"sort": "s01"}).text

    assert page.index("Helsehuset") < page.index("Nord HOD")


def test_a_hidden_groups_page_says_so_and_shows_no_figures(world, client_for, answered):
    page = client_for("adviser").get(cell_url(answered, f"unit-{world.sibling.pk}")).text

    assert "Disse resultatene vises ikke" in page
    assert "1,50" not in page
    assert "<svg" not in page


def test_a_shown_units_page_has_its_figures_the_charts_and_the_area_to_compare(
    world, client_for, answered
):
    page = client_for("adviser").get(cell_url(answered, f"unit-{world.loose_unit.pk}")).text

    assert "3,86" in page  # 27 / 7
    assert "3,64" in page  # the area, for comparison
    assert page.count("<svg") == 3  # distribution, means, importance–performance


def test_a_manager_sees_the_totals_to_compare_with(world, client_for, answered: Answered):
    response = client_for("manager").get(cell_url(answered, "area"))

    assert response.status_code == 200


def test_a_manager_does_not_find_another_units_results(world, client_for, answered):
    response = client_for("manager").get(cell_url(answered, f"unit-{world.loose_unit.pk}"))

    assert response.status_code == 404


def test_a_managers_heat_map_lists_only_their_unit_and_the_totals(world, client_for, answered):
    page = client_for("manager").get(overview(answered)).text

    assert "Nord sykehjem" in page
    assert "Helsehuset" not in page
    assert "Nord hjemmetjeneste" not in page


def test_a_manager_does_not_see_preliminary_results(world, questionnaires, client_for):
    round_ = open_round(world, questionnaires, name="Pågår", days_ago=3)
    add_responses(round_, world.unit, [answers("4")] * 6)
    services.results_compute(actor=None, round_=round_)

    response = client_for("manager").get(reverse("results:round", args=[round_.pk]))

    assert response.status_code == 404


def test_an_adviser_computes_results_in_the_background(client_for, answered: Answered):
    response = client_for("adviser").post(reverse("results:compute", args=[answered.round.pk]))

    task = BackgroundTask.objects.get(kind="results.compute")
    assert response.status_code == 302
    assert task.params["round"] == answered.round.pk


def test_a_manager_may_not_compute(client_for, answered: Answered):
    response = client_for("manager").post(reverse("results:compute", args=[answered.round.pk]))

    assert response.status_code == 403


def test_an_adviser_publishes_and_withdraws(client_for, answered: Answered):
    adviser = client_for("adviser")
    url = reverse("results:publish", args=[answered.round.pk])

    adviser.post(url)
    published = ResultSet.objects.get().state
    adviser.post(url, {"action": "withdraw"})

    assert (published, ResultSet.objects.get().state) == ("published", "withdrawn")


def test_a_manager_may_not_publish(client_for, answered: Answered):
    response = client_for("manager").post(reverse("results:publish", args=[answered.round.pk]))

    assert response.status_code == 403
    assert ResultSet.objects.get().state == "ready"


# --- comments -----------------------------------------------------------------------------


@pytest.fixture
def commented(world, questionnaires) -> Answered:
    round_ = open_round(world, questionnaires, name="Med kommentarer", days_ago=20)
    add_responses(
        round_,
        world.loose_unit,
        [answers("4")] * 7,
        comments=["Flott personale, ring meg på 912 34 567", "Maten kunne vært bedre"],
    )
    add_responses(round_, world.sibling, [answers("2")] * 2, comments=["Liten enhet sier nei"])
    add_responses(round_, world.unit, [answers("4")] * 9)
    close(round_)
    return Answered(round_, services.results_compute(actor=None, round_=round_))


def review_of(text: str) -> CommentReview:
    return CommentReview.objects.get(text__text=text)


def test_a_comment_is_shown_to_nobody_before_it_is_screened(world, client_for, commented):
    page = client_for("adviser").get(cell_url(commented, f"unit-{world.loose_unit.pk}")).text

    assert "Maten kunne vært bedre" not in page


def test_a_phone_number_in_a_comment_is_flagged(commented: Answered):
    assert [
        flag["kind"] for flag in review_of("Flott personale, ring meg på 912 34 567").flags
    ] == ["phone"]


def test_the_screening_page_proposes_the_comment_without_the_phone_number(client_for, commented):
    page = client_for("adviser").get(reverse("results:comments", args=[commented.round.pk])).text

    assert "Flott personale, ring meg på [fjernet]" in page


def test_an_approved_comment_is_shown_for_its_unit(world, client_for, commented):
    review = review_of("Maten kunne vært bedre")
    client_for("adviser").post(
        reverse("results:comment", args=[commented.round.pk, review.pk]),
        {"decision": "approve", f"c{review.pk}-text": ""},
    )

    page = client_for("adviser").get(cell_url(commented, f"unit-{world.loose_unit.pk}")).text

    assert "Maten kunne vært bedre" in page


def test_a_redacted_comment_is_shown_as_redacted(world, client_for, commented):
    review = review_of("Flott personale, ring meg på 912 34 567")
    client_for("adviser").post(
        reverse("results:comment", args=[commented.round.pk, review.pk]),
        {"decision": "redact", f"c{review.pk}-text": "Flott personale"},
    )

    page = client_for("adviser").get(cell_url(commented, "area")).text

    assert "Flott personale" in page
    assert "912 34 567" not in page


def test_a_hidden_units_approved_comment_is_shown_nowhere(world, client_for, commented):
    review = review_of("Liten enhet sier nei")
    services.comment_review(actor=None, review=review, decision="approve")
    adviser = client_for("adviser")

    pages = [
        adviser.get(cell_url(commented, key)).text
        for key in ("area", f"district-{world.district.pk}", f"unit-{world.sibling.pk}")
    ]

    assert [("Liten enhet sier nei" in page) for page in pages] == [False, False, False]


def test_a_manager_may_not_screen_comments(client_for, commented: Answered):
    response = client_for("manager").get(reverse("results:comments", args=[commented.round.pk]))

    assert response.status_code == 403


def test_the_results_menu_item_is_there_for_advisers_not_for_staff(client_for, answered):
    assert reverse("results:rounds") in client_for("adviser").get("/staff/").text
    assert reverse("results:rounds") not in client_for("staff").get("/staff/").text


def test_a_signed_out_visitor_is_sent_to_sign_in(answered: Answered):
    response = Client(HTTP_HOST="alpha.test").get(overview(answered))

    assert response.status_code == 302
    assert "/staff/login/" in response["Location"]
