"""The staff results pages in Chromium: a quality adviser screens a comment and publishes
with the keyboard alone; axe on the heat map, a group's page and the screening page; a unit
manager sees their own unit and not another's."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from medvirk.organisation.models import Unit
from medvirk.results.models import CommentReview, ResultSet

from .conftest import press_and_wait, sign_in_with_keyboard, tab_to
from .test_results_public import COMMENT, SHOWN_UNIT, SMALL_UNIT, answer_and_close_the_demo_round


@pytest.fixture
def results_site(survey_site) -> tuple[str, ResultSet]:
    return survey_site, answer_and_close_the_demo_round()


def test_the_adviser_screens_the_comment_and_publishes_with_the_keyboard(
    page: Page, results_site, checked
):
    site, result_set = results_site
    sign_in_with_keyboard(page, site, "kvalitet", checked)

    tab_to(page, "nav a[href='/staff/results/']")
    press_and_wait(page)
    checked(page)
    tab_to(page, f"main a[href='/staff/results/{result_set.round_id}/']")
    press_and_wait(page)
    checked(page)
    expect(page.locator("main table.heat")).to_contain_text(SHOWN_UNIT)

    tab_to(page, f"main a[href='/staff/results/{result_set.round_id}/comments/']")
    press_and_wait(page)
    checked(page)
    review = CommentReview.objects.get(text__text=COMMENT)
    tab_to(page, f"#c{review.pk} button[value='approve']")
    press_and_wait(page)
    checked(page)
    review.refresh_from_db()
    assert review.state == CommentReview.State.APPROVED

    page.goto(f"{site}/staff/results/{result_set.round_id}/")
    checked(page)
    tab_to(page, "main form[action$='/publish/'] button")
    press_and_wait(page)
    checked(page)
    assert ResultSet.objects.get(pk=result_set.pk).state == ResultSet.State.PUBLISHED
    expect(page.locator("main form[action$='/publish/'] button")).to_have_text(
        "Trekk tilbake fra de offentlige sidene"
    )


def test_every_staff_results_page_passes_axe(page: Page, results_site, checked):
    site, result_set = results_site
    sign_in_with_keyboard(page, site, "kvalitet", checked)
    base = f"{site}/staff/results/{result_set.round_id}/"
    shown = Unit.objects.get(name=SHOWN_UNIT).pk
    for path in [
        "",
        "?view=change",
        "?audience=relatives",
        "comments/",
        "users/area/",
        f"users/unit-{shown}/",
        f"users/unit-{Unit.objects.get(name=SMALL_UNIT).pk}/",
    ]:
        page.goto(base + path)
        checked(page)
    expect(page.locator("main")).to_contain_text("Disse resultatene vises ikke")


def test_a_unit_manager_sees_the_own_unit_but_not_another(page: Page, results_site, checked):
    site, result_set = results_site
    sign_in_with_keyboard(page, site, "leder.konnerud", checked)
    own = Unit.objects.get(name="Konnerud bo- og behandlingssenter").pk
    other = Unit.objects.get(name=SHOWN_UNIT).pk

    page.goto(f"{site}/staff/results/{result_set.round_id}/users/unit-{own}/")
    checked(page)
    expect(page.locator("h1")).to_contain_text("Konnerud bo- og behandlingssenter")

    response = page.goto(f"{site}/staff/results/{result_set.round_id}/users/unit-{other}/")
    checked(page)
    assert response is not None
    assert response.status == 404
    assert not re.search(SHOWN_UNIT, page.locator("main").inner_text())
