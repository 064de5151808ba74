"""The public results pages at /resultater/: what they show, to whom, and how soon.

The fixture round (see conftest.py) has the sibling unit suppressed for too few answers
(statement 1's mean 3 / 2 = 1,50) and the unit hidden with it (21 / 5 = 4,20); the area's
statement 1 is 51 / 14 = 3,64. Bokmål formats numbers with a comma, English with a point.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client

from medvirk.results import services
from medvirk.results.models import CommentReview, ResultSet
from medvirk.surveys.models import Audience, Round

from ..surveys.conftest import make_round
from .conftest import Answered, add_responses, answers, close, open_round, recompute

LINK = re.compile(r'href="(/resultater/[^"#]*)"')


@pytest.fixture(autouse=True)
def _empty_cache():
    """Pages are cached per process; no test may find another's (ids are reused)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def published(answered: Answered) -> Answered:
    services.results_publish(actor=None, result_set=answered.result_set)
    return answered


@pytest.fixture
def english(world) -> Client:
    client = Client(HTTP_HOST="alpha.test")
    client.cookies["medvirk_language"] = "en"
    return client


def round_url(answered: Answered) -> str:
    return f"/resultater/{answered.round.pk}/"


def cell_url(answered: Answered, key: str, audience: str = Audience.USERS) -> str:
    return f"/resultater/{answered.round.pk}/{audience}/{key}/"


def every_public_page(client: Client, *also: str) -> dict[str, str]:
    """Every page reached by following links from /resultater/ (and ``also``), with its text."""
    pages: dict[str, str] = {}
    waiting = ["/resultater/", *also]
    while waiting:
        url = waiting.pop()
        if url in pages:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.text
        waiting += [html.unescape(link) for link in LINK.findall(response.text)]
    return pages


def published_round_of_beta(world, questionnaires) -> Round:
    round_ = make_round(
        world,
        questionnaires,
        name="Beta-undersøkelsen",
        units=[world.foreign_unit],
        municipality=world.beta,
        service_area=world.foreign_unit.service_area,
        opens_in=timedelta(days=-20),
        closes_in=timedelta(days=-6),
    )
    Round.objects.filter(pk=round_.pk).update(state=Round.State.OPEN)
    add_responses(round_, world.foreign_unit, [answers("4")] * 6)
    close(round_)
    result_set = recompute(round_)
    services.results_publish(actor=None, result_set=result_set)
    return round_


# --- who finds what -------------------------------------------------------------------------


def test_the_list_shows_the_published_rounds_of_this_municipality_newest_first(
    world, questionnaires, anonymous, published
):
    older = open_round(world, questionnaires, name="Brukerundersøkelse 2025", days_ago=380)
    add_responses(older, world.loose_unit, [answers("4")] * 6)
    close(older)
    services.results_publish(actor=None, result_set=recompute(older))
    published_round_of_beta(world, questionnaires)

    page = anonymous.get("/resultater/").text

    assert page.index("Brukerundersøkelse 2026") < page.index("Brukerundersøkelse 2025")
    assert "Beta-undersøkelsen" not in page


def test_the_list_leaves_out_unpublished_and_withdrawn_rounds(
    world, questionnaires, anonymous, answered
):
    withdrawn = open_round(world, questionnaires, name="Trukket tilbake", days_ago=380)
    add_responses(withdrawn, world.loose_unit, [answers("4")] * 6)
    close(withdrawn)
    result_set = services.results_publish(actor=None, result_set=recompute(withdrawn))
    services.results_withdraw(actor=None, result_set=result_set)

    page = anonymous.get("/resultater/").text

    assert "Brukerundersøkelse 2026" not in page  # ready, not published
    assert "Trukket tilbake" not in page


def test_every_public_page_opens_without_signing_in(world, anonymous, published):
    pages = every_public_page(anonymous)

    # The area's figures are on the round page; its own page, linked where it has
    # comments to read, has none here.
    assert sorted(pages) == sorted(
        [
            "/resultater/",
            round_url(published),
            round_url(published) + "?audience=relatives",
            cell_url(published, f"district-{world.district.pk}"),
            cell_url(published, f"unit-{world.loose_unit.pk}"),
        ]
    )


@pytest.mark.parametrize("page", ["round", "area"])
def test_results_ready_but_not_published_are_not_found(anonymous, answered, page):
    url = round_url(answered) if page == "round" else cell_url(answered, "area")

    assert anonymous.get(url).status_code == 404


def test_preliminary_results_of_an_open_round_are_not_found(world, questionnaires, anonymous):
    round_ = open_round(world, questionnaires, name="Pågår", days_ago=3)
    add_responses(round_, world.loose_unit, [answers("4")] * 6)
    services.results_compute(actor=None, round_=round_)

    assert anonymous.get(f"/resultater/{round_.pk}/").status_code == 404


def test_withdrawn_results_are_not_found(anonymous, published):
    services.results_withdraw(actor=None, result_set=published.result_set)

    assert anonymous.get(round_url(published)).status_code == 404
    assert anonymous.get(cell_url(published, "area")).status_code == 404


def test_a_round_is_not_found_at_another_municipalitys_address(published):
    beta = Client(HTTP_HOST="beta.test")

    assert beta.get(round_url(published)).status_code == 404
    assert beta.get(cell_url(published, "area")).status_code == 404


def test_another_municipalitys_round_is_not_found_here(world, questionnaires, anonymous):
    beta_round = published_round_of_beta(world, questionnaires)

    assert anonymous.get(f"/resultater/{beta_round.pk}/").status_code == 404


def test_an_unknown_group_or_audience_is_not_found(anonymous, published):
    assert anonymous.get(cell_url(published, "unit-99999")).status_code == 404
    assert anonymous.get(cell_url(published, "area", audience="staff")).status_code == 404
    assert anonymous.get(round_url(published), {"audience": "staff"}).status_code == 404


def test_the_pages_only_answer_reading(anonymous, published):
    assert anonymous.post(round_url(published)).status_code == 405


# --- no suppressed figure anywhere ---------------------------------------------------------


def test_no_public_page_shows_a_suppressed_groups_figures(anonymous, published):
    pages = every_public_page(anonymous, cell_url(published, "area"))

    assert [url for url, text in pages.items() if "1,50" in text or "4,20" in text] == []


def test_no_english_page_shows_a_suppressed_groups_figures(english, published):
    pages = every_public_page(english, cell_url(published, "area"))

    assert [url for url, text in pages.items() if "1.50" in text or "4.20" in text] == []


@pytest.mark.parametrize("name", ["Nord hjemmetjeneste", "Nord sykehjem"])
def test_a_suppressed_units_name_appears_only_as_not_shown(english, published, name):
    pages = every_public_page(english, cell_url(published, "area"))
    text = "".join(pages.values())
    not_shown = f'{name} <span class="tag">not shown</span>'
    no_answers = f'{name} <span class="tag">no answers</span>'  # the relatives' list

    assert text.count(name) == text.count(not_shown) + text.count(no_answers)
    assert not_shown in pages[round_url(published)]


def test_a_suppressed_unit_is_listed_with_why_and_without_a_link(world, english, published):
    page = english.get(round_url(published)).text

    assert "Too few answers to show without revealing anyone" in page
    assert "cannot be worked out from the others" in page
    assert cell_url(published, f"unit-{world.sibling.pk}") not in page
    assert cell_url(published, f"unit-{world.unit.pk}") not in page


def test_a_suppressed_groups_page_says_so_without_figures(world, english, published):
    response = english.get(cell_url(published, f"unit-{world.sibling.pk}"))

    assert response.status_code == 404
    assert "These results are not shown" in response.text
    assert "Too few answers" in response.text
    assert "<svg" not in response.text
    assert "1.50" not in response.text


def test_a_group_no_one_answered_has_no_page(world, english, published):
    response = english.get(cell_url(published, "area", audience=Audience.RELATIVES))

    assert response.status_code == 404
    assert "No one in this group answered." in response.text


def test_the_relatives_tab_says_no_relatives_answered(english, published):
    page = english.get(round_url(published), {"audience": "relatives"}).text

    assert "No one in this group answered." in page
    assert f"/resultater/{published.round.pk}/relatives/" not in page


# --- the figures -----------------------------------------------------------------------------


def test_the_round_page_has_the_whole_areas_figures(anonymous, published):
    page = anonymous.get(round_url(published)).text

    assert '<td class="num">3,64</td>' in page  # statement 1: 51 / 14
    assert page.count("<svg") == 2 * 3  # three charts, each wide and narrow


def test_a_units_page_has_its_figures_the_area_to_compare_and_tables_beside_the_charts(
    world, anonymous, published
):
    page = anonymous.get(cell_url(published, f"unit-{world.loose_unit.pk}")).text

    assert '<td class="num">3,86</td>' in page  # 27 / 7
    assert '<td class="num">3,64</td>' in page  # the area, to compare with
    assert page.count("<table") == 2  # sections and statements
    assert page.count('role="img"') == 2 * 3


def test_the_round_page_lists_districts_and_units_with_responses_and_rates(
    world, anonymous, published
):
    page = anonymous.get(round_url(published)).text

    assert f'<a href="{cell_url(published, f"unit-{world.loose_unit.pk}")}">Helsehuset</a>' in page
    assert '<td class="num">7</td>\n    <td class="num">78\xa0%</td>' in page  # 7 of 9


def test_the_pages_work_in_english(english, published):
    response = english.get(round_url(published))

    assert '<html lang="en">' in response.text
    assert "Statement by statement" in response.text
    assert '<td class="num">3.64</td>' in response.text


def test_bokmal_and_english_pages_are_cached_apart(anonymous, english, published):
    anonymous.get(round_url(published))

    page = english.get(round_url(published)).text

    assert '<td class="num">3.64</td>' in page


# --- comments -------------------------------------------------------------------------------


@pytest.fixture
def commented(world, questionnaires) -> Answered:
    round_ = open_round(world, questionnaires, name="Med kommentarer", days_ago=20)
    add_responses(round_, world.loose_unit, [answers("4")] * 7, comments=["Maten er god"])
    add_responses(round_, world.sibling, [answers("2")] * 2, comments=["Liten enhet sier nei"])
    add_responses(round_, world.unit, [answers("4")] * 9)
    close(round_)
    result_set = services.results_compute(actor=None, round_=round_)
    services.results_publish(actor=None, result_set=result_set)
    return Answered(round_, result_set)


def approve(text: str) -> None:
    review = CommentReview.objects.get(text__text=text)
    services.comment_review(actor=None, review=review, decision="approve")


def test_an_approved_comment_is_shown_on_its_units_page(world, anonymous, commented):
    approve("Maten er god")

    page = anonymous.get(cell_url(commented, f"unit-{world.loose_unit.pk}")).text

    assert "Maten er god" in page


def test_a_hidden_units_approved_comment_is_on_no_public_page(anonymous, commented):
    approve("Liten enhet sier nei")

    pages = every_public_page(anonymous, cell_url(commented, "area"))

    assert [url for url, text in pages.items() if "Liten enhet sier nei" in text] == []


# --- the cache shows every change at once ----------------------------------------------------


def main_part(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def test_a_cached_page_is_served_from_one_query(
    world, anonymous, published, django_assert_num_queries
):
    url = cell_url(published, f"unit-{world.loose_unit.pk}")
    first = anonymous.get(url).text

    with django_assert_num_queries(1):  # the published result set, to check it still is
        again = anonymous.get(url).text

    assert main_part(again) == main_part(first)


def test_publishing_shows_the_round_at_once(anonymous, answered):
    before = anonymous.get("/resultater/").text
    missing = anonymous.get(round_url(answered)).status_code

    services.results_publish(actor=None, result_set=answered.result_set)

    assert ("Brukerundersøkelse 2026" in before, missing) == (False, 404)
    assert "Brukerundersøkelse 2026" in anonymous.get("/resultater/").text
    assert anonymous.get(round_url(answered)).status_code == 200


def test_withdrawing_takes_every_page_down_at_once(world, anonymous, published):
    pages = every_public_page(anonymous, cell_url(published, "area"))

    services.results_withdraw(actor=None, result_set=published.result_set)

    statuses = {url: anonymous.get(url).status_code for url in pages if url != "/resultater/"}
    assert set(statuses.values()) == {404}
    assert "Brukerundersøkelse 2026" not in anonymous.get("/resultater/").text


def test_recomputing_shows_the_new_figures_at_once(world, anonymous, published):
    assert '<td class="num">3,64</td>' in anonymous.get(round_url(published)).text
    add_responses(published.round, world.loose_unit, [answers("5")] * 7)

    recompute(published.round)

    page = anonymous.get(round_url(published)).text
    assert ResultSet.objects.get().state == ResultSet.State.PUBLISHED
    assert '<td class="num">4,10</td>' in page  # (51 + 35) / 21
    assert '<td class="num">3,64</td>' not in page


def test_a_comment_approved_after_publishing_shows_at_once(world, anonymous, commented):
    url = cell_url(commented, f"unit-{world.loose_unit.pk}")
    assert "Maten er god" not in anonymous.get(url).text

    approve("Maten er god")

    assert "Maten er god" in anonymous.get(url).text


def test_a_comment_rejected_after_approval_goes_at_once(world, anonymous, commented):
    approve("Maten er god")
    url = cell_url(commented, f"unit-{world.loose_unit.pk}")
    assert "Maten er god" in anonymous.get(url).text
    review = CommentReview.objects.get(text__text="Maten er god")

    services.comment_review(actor=None, review=review, decision="reject")

    assert "Maten er god" not in anonymous.get(url).text


def test_a_signed_in_visitors_layout_is_not_served_to_the_next(client_for, anonymous, published):
    signed_in = client_for("adviser").get(round_url(published)).text

    page = anonymous.get(round_url(published)).text

    assert 'class="who"' in signed_in
    assert 'class="who"' not in page
    assert 'class="signin-link"' in page


def test_a_signed_in_visitor_gets_their_own_layout_after_a_cached_visit(
    client_for, anonymous, published
):
    anonymous.get(round_url(published))

    page = client_for("adviser").get(round_url(published)).text

    assert 'class="who"' in page


def csrf_field(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_each_visitor_of_a_cached_page_gets_their_own_csrf_token(anonymous, published):
    first = anonymous.get(round_url(published))

    again = Client(HTTP_HOST="alpha.test").get(round_url(published))

    assert first.cookies["csrftoken"].value != again.cookies["csrftoken"].value
    assert csrf_field(first.text) != csrf_field(again.text)


def test_the_language_form_works_on_a_cached_page(anonymous, published):
    anonymous.get(round_url(published))
    visitor = Client(HTTP_HOST="alpha.test", enforce_csrf_checks=True)
    token = csrf_field(visitor.get(round_url(published)).text)

    response = visitor.post(
        "/i18n/setlang/",
        {"language": "en", "next": round_url(published), "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 302
    assert '<html lang="en">' in visitor.get(round_url(published)).text


def test_the_front_page_links_to_the_public_results(anonymous):
    page = anonymous.get("/").text

    assert 'href="/resultater/"' in page
