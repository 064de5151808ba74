"""Answering the 2016 survey in Chromium with a demo code: keyboard only, axe on every page."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Browser, Page, expect

from medvirk.surveys import codes, services
from medvirk.surveys.models import Recipient, Response

from .conftest import AxeTracker, press_and_wait, tab_to

COMMENT = "Personalet er blide og hjelpsomme."


def unused_recipient(*, language: str = "nb") -> Recipient:
    candidates = Recipient.objects.filter(is_relative=False, language=language).order_by("pk")
    answered = services.answered_test(candidates[0].round)
    return next(r for r in candidates if not answered(r))


def demo_code(*, language: str = "nb") -> str:
    return codes.display(services.code_of(unused_recipient(language=language)))


def choose_with_arrows(page: Page, name: str, presses: int) -> None:
    """Tab into a radio group (the first radio takes focus) and move right ``presses`` times."""
    tab_to(page, f"input[name='{name}']")
    for _ in range(presses):
        page.keyboard.press("ArrowRight")


def answer_with_keyboard(page: Page, checked, *, comment: str) -> None:
    """Every section page: 4 on the scale and 5 for importance, then the comment page."""
    spec = Recipient.objects.first().round.questionnaire.spec  # type: ignore[union-attr]
    for section in spec.sections:
        for statement in section.statements:
            choose_with_arrows(page, f"s-{statement.key}", 3)
            choose_with_arrows(page, f"i-{statement.key}", 4)
        for free_text in section.free_texts:
            tab_to(page, f"textarea[name='t-{free_text.key}']")
            page.keyboard.type(comment)
        tab_to(page, "button[value='next']")
        press_and_wait(page)
        checked(page)


def start_with_code(page: Page, site: str, code: str, checked) -> None:
    page.goto(site + "/svar")
    checked(page)
    tab_to(page, "#id_code")
    page.keyboard.type(code.lower().replace("-", " "))
    press_and_wait(page)
    checked(page)
    assert page.url.endswith("/svar/start/")


def test_the_whole_survey_in_bokmal_with_the_keyboard(page: Page, survey_site, checked):
    start_with_code(page, survey_site, demo_code(), checked)
    expect(page.locator("h1")).to_have_text("HSO brukerundersøkelse 2016")
    tab_to(page, "main button[type='submit']")
    press_and_wait(page)
    checked(page)
    expect(page.locator("h1")).to_have_text("Trivsel og trygghet")
    expect(page.locator("legend").first).to_contain_text(
        "Jeg er trygg på at jeg får bistand når jeg trenger det"
    )

    answer_with_keyboard(page, checked, comment=COMMENT)

    assert page.url.endswith("/svar/oppsummering/")
    expect(page.locator("main")).to_contain_text(COMMENT)
    tab_to(page, "form.answer-actions button")
    press_and_wait(page)
    checked(page)
    expect(page.locator("h1")).to_contain_text("Takk")
    response = Response.objects.get()
    assert (response.scores, response.importance) == ("4" * 23, "5" * 23)


def test_the_whole_survey_in_english_with_the_keyboard(page: Page, survey_site, checked):
    start_with_code(page, survey_site, demo_code(), checked)
    tab_to(page, "input[name='language']:checked")
    page.keyboard.press("ArrowDown")  # nynorsk
    page.keyboard.press("ArrowDown")  # English
    tab_to(page, "main button[type='submit']")
    press_and_wait(page)
    checked(page)
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.locator("h1")).to_have_text("Well-being and safety")

    answer_with_keyboard(page, checked, comment="The staff are kind.")

    expect(page.locator("h1")).to_have_text("Check your answers")
    tab_to(page, "form.answer-actions button")
    press_and_wait(page)
    checked(page)
    expect(page.locator("h1")).to_have_text("Thank you for answering!")
    assert Response.objects.get().scores == "4" * 23


def test_a_break_and_the_same_code_continue_where_they_stopped(page: Page, survey_site, checked):
    code = demo_code()
    start_with_code(page, survey_site, code, checked)
    tab_to(page, "main button[type='submit']")
    press_and_wait(page)
    checked(page)
    choose_with_arrows(page, "s-s01", 1)
    tab_to(page, "button[value='pause']")
    press_and_wait(page)
    checked(page)
    expect(page.locator("h1")).to_have_text("Svarene dine er lagret")

    page.goto(survey_site + "/svar/")
    checked(page)
    tab_to(page, "#id_code")
    page.keyboard.type(code)
    press_and_wait(page)
    checked(page)

    assert re.search(r"/svar/del/1/$", page.url), page.url
    expect(page.locator("input[name='s-s01'][value='2']")).to_be_checked()


def test_stop_and_continue_later_from_the_start_page_with_the_keyboard(
    page: Page, survey_site, checked
):
    code = demo_code()
    start_with_code(page, survey_site, code, checked)
    tab_to(page, "button[value='pause']")
    press_and_wait(page)
    checked(page)
    expect(page.locator("h1")).to_have_text("Svarene dine er lagret")

    page.goto(survey_site + "/svar/")
    checked(page)
    tab_to(page, "#id_code")
    page.keyboard.type(code)
    press_and_wait(page)
    checked(page)

    assert re.search(r"/svar/del/1/$", page.url), page.url


def test_stop_and_continue_later_from_the_summary_with_the_keyboard(
    page: Page, survey_site, checked
):
    start_with_code(page, survey_site, demo_code(), checked)
    tab_to(page, "button[value='next']")
    press_and_wait(page)
    checked(page)
    answer_with_keyboard(page, checked, comment=COMMENT)
    tab_to(page, "button[value='pause']")
    press_and_wait(page)
    checked(page)

    expect(page.locator("h1")).to_have_text("Svarene dine er lagret")
    assert not Response.objects.exists()


def test_after_half_an_hour_away_the_next_person_meets_the_code_page(
    page: Page, survey_site, checked, monkeypatch
):
    start_with_code(page, survey_site, demo_code(), checked)
    tab_to(page, "button[value='next']")
    press_and_wait(page)
    checked(page)
    later = time.time() + 31 * 60
    monkeypatch.setattr(time, "time", lambda: later)  # the live server runs in this process

    tab_to(page, "button[value='next']")
    press_and_wait(page)
    checked(page)

    assert page.url.endswith("/svar/"), page.url
    expect(page.locator("body")).to_contain_text(
        "Vi har lukket svaret ditt etter 30 minutter uten aktivitet."
    )


def test_answer_pages_reflow_at_320_px_and_200_percent(
    browser: Browser, survey_site, axe_tracker: AxeTracker
):
    for width in (320, 640):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        axe_tracker.record(page)
        page.goto(f"{survey_site}/svar/?kode={demo_code()}")
        axe_tracker.check(page)
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        axe_tracker.check(page)
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        axe_tracker.check(page)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"a section page scrolls sideways by {overflow}px at {width}px"
        context.close()


def test_answering_works_without_javascript(browser: Browser, survey_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{survey_site}/svar/?kode={demo_code()}")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    for _section in range(3):  # the first statement of each section: "vet ikke"
        page.locator("input[type=radio][value='0']").first.check()
        with page.expect_navigation():
            page.click("button[value='next']")
    page.fill("textarea", "Uten JavaScript")
    with page.expect_navigation():
        page.click("button[value='next']")
    with page.expect_navigation():
        page.click("form.answer-actions button")
    context.close()

    response = Response.objects.get()
    assert response.scores == "0-----0-------0--------"
    assert response.texts.get().text == "Uten JavaScript"
