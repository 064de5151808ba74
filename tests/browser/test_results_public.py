"""The public results pages in Chromium: keyboard alone, axe on every page, 320 px, no JS.

The demo's round is closed with answers written straight to the responses table (every
unit 8 users, Konnerud dagsenter only 2 so that it is hidden (and Konnerud hjemmetjeneste
with it), and 6 relatives at the Konnerud home), computed and published.
"""

from __future__ import annotations

import random
import re

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, Page, expect

from medvirk.organisation.models import Unit
from medvirk.results import services
from medvirk.results.models import CommentReview, ResultSet
from medvirk.surveys import demo as survey_demo
from medvirk.surveys.models import Audience, Round

from ..results.conftest import add_responses, close
from .conftest import AxeTracker, press_and_wait, tab_to

SMALL_UNIT = "Konnerud dagsenter"
SHOWN_UNIT = "Fjell hjemmetjeneste"
RELATIVES_UNIT = "Konnerud bo- og behandlingssenter"
COMMENT = "Hyggelige folk i hjemmetjenesten."


def random_answers(rng: random.Random, statements: int) -> tuple[str, str]:
    scores = "".join(rng.choice("123455") for _ in range(statements))
    return scores, "".join(rng.choice("345") for _ in range(statements))


def answer_and_close_the_demo_round() -> ResultSet:
    """The demo round answered, closed and computed; the comment waits for screening."""
    cache.clear()
    round_ = Round.objects.get(name=survey_demo.ROUND_NAME)
    rng = random.Random(26)  # noqa: S311 (made-up answers)
    users = len(round_.questionnaire.spec.statements)
    for unit in round_.units.all():
        add_responses(
            round_,
            unit,
            [random_answers(rng, users) for _ in range(2 if unit.name == SMALL_UNIT else 8)],
            comments=[COMMENT] if unit.name == SHOWN_UNIT else [],
        )
    relatives = round_.relatives_questionnaire
    assert relatives is not None
    add_responses(
        round_,
        Unit.objects.get(name=RELATIVES_UNIT),
        [random_answers(rng, len(relatives.spec.statements)) for _ in range(6)],
        audience=Audience.RELATIVES,
        questionnaire=relatives,
    )
    close(round_)
    return services.results_compute(actor=None, round_=round_)


@pytest.fixture
def public_site(survey_site: str) -> str:
    """The demo round, answered, closed and published; returns the site's address."""
    result_set = answer_and_close_the_demo_round()
    review = CommentReview.objects.get(text__text=COMMENT)
    services.comment_review(actor=None, review=review, decision="approve")
    services.results_publish(actor=None, result_set=result_set)
    return survey_site


def round_path() -> str:
    return f"/resultater/{Round.objects.get(name=survey_demo.ROUND_NAME).pk}/"


def unit_path(name: str, audience: str = "users") -> str:
    return f"{round_path()}{audience}/unit-{Unit.objects.get(name=name).pk}/"


def test_a_visitor_finds_a_units_results_with_the_keyboard(page: Page, public_site, checked):
    page.goto(public_site + "/")
    checked(page)

    tab_to(page, "main a[href='/resultater/']")
    press_and_wait(page)
    checked(page)
    expect(page.locator("h1")).to_have_text("Resultater fra undersøkelsen")
    tab_to(page, f"main a[href='{round_path()}']")
    press_and_wait(page)
    checked(page)
    tab_to(page, f"main a[href='{unit_path(SHOWN_UNIT)}']", limit=120)
    press_and_wait(page)
    checked(page)

    expect(page.locator("h1")).to_have_text(SHOWN_UNIT)
    expect(page.locator("main .comments")).to_contain_text(COMMENT)
    expect(page.locator("main table.figures caption")).to_have_count(1)


def test_a_table_too_wide_for_the_screen_scrolls_with_the_keyboard(
    browser: Browser, public_site, axe_tracker: AxeTracker
):
    # Playwright evaluates wait_for_function's expression with eval, which the pages'
    # Content-Security-Policy refuses (no 'unsafe-eval'); the test's own script may.
    context = browser.new_context(viewport={"width": 320, "height": 800}, bypass_csp=True)
    page = context.new_page()
    axe_tracker.record(page)
    page.goto(public_site + unit_path(SHOWN_UNIT))
    axe_tracker.check(page)

    tab_to(page, "main .table-scroll:has(table.figures)")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")

    page.wait_for_function("document.activeElement.scrollLeft > 0", timeout=2_000)
    context.close()


def test_every_kind_of_public_page_passes_axe(page: Page, public_site, checked):
    paths = [
        "/resultater/",
        round_path(),
        round_path() + "?audience=relatives",
        f"{round_path()}users/area/",
        f"{round_path()}users/district-{Unit.objects.get(name=SMALL_UNIT).district_id}/",
        unit_path(RELATIVES_UNIT),
        unit_path(RELATIVES_UNIT, "relatives"),
        unit_path(SMALL_UNIT),  # not shown: says so, with a 404
    ]
    for path in paths:
        page.goto(public_site + path)
        checked(page)

    expect(page.locator("h1")).to_have_text(SMALL_UNIT)
    expect(page.locator("main svg")).to_have_count(0)


def test_a_hidden_unit_is_listed_as_not_shown_without_a_link(page: Page, public_site, checked):
    page.goto(public_site + round_path())
    checked(page)

    row = page.locator("main table.groups tr", has_text=SMALL_UNIT)
    expect(row).to_contain_text("vises ikke")
    expect(row.locator("a")).to_have_count(0)


def test_public_pages_reflow_at_320_px_and_at_200_percent_zoom(
    browser: Browser, public_site, axe_tracker: AxeTracker
):
    paths = ["/resultater/", round_path(), unit_path(SHOWN_UNIT)]
    overflow: dict[str, int] = {}
    for width in (320, 640):  # 640 CSS px is a 1280 px window at 200 % zoom
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        axe_tracker.record(page)
        for path in paths:
            page.goto(public_site + path)
            axe_tracker.check(page)
            overflow[f"{path} at {width}px"] = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
        context.close()

    assert {where: px for where, px in overflow.items() if px > 0} == {}


def test_phones_get_the_narrow_charts(browser: Browser, public_site, axe_tracker: AxeTracker):
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    axe_tracker.record(page)
    page.goto(public_site + unit_path(SHOWN_UNIT))
    axe_tracker.check(page)

    visible = page.locator("main figure svg:visible")
    expect(visible).to_have_count(3)
    ids = [visible.nth(i).locator(":scope > title").get_attribute("id") for i in range(3)]
    context.close()
    assert all(str(found).endswith("-narrow-title") for found in ids)


def test_the_public_pages_work_without_javascript(browser: Browser, public_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(public_site + "/resultater/")
    with page.expect_navigation():
        page.click(f"main a[href='{round_path()}']")
    with page.expect_navigation():
        page.click("main nav a:text('Pårørende')")
    relatives_heading = page.locator("h2#area").inner_text()
    with page.expect_navigation():
        page.click(f"main a[href='{unit_path(RELATIVES_UNIT, 'relatives')}']")
    unit_heading = page.locator("h1").inner_text()
    page.select_option("#language-select", "en")
    with page.expect_navigation():
        page.click(".language-form button")
    english_url, english_lead = page.url, page.locator("main .lead").inner_text()
    context.close()

    assert "Pårørende" in relatives_heading
    assert unit_heading == RELATIVES_UNIT
    assert english_url.endswith(unit_path(RELATIVES_UNIT, "relatives"))
    assert re.search(r"Relatives", english_lead), english_lead
