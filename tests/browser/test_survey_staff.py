"""Running a survey round on the staff pages in Chromium: axe on every page, keyboard only."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from medvirk.core import tasks
from medvirk.surveys.models import Questionnaire, Recipient, Response, Round

from .conftest import PASSWORD, press_and_wait, sign_in_with_keyboard, tab_to

RECIPIENTS = """Navn;Adresse;Postnr;Poststed;Virksomhet;Språk
Nils Nilsen;Storgata 1;3015;Drammen;KON-BBS;nb
Berit Berg;Storgata 2;3015;Drammen;KON-BBS;nn
"""


def test_every_survey_page_of_a_quality_adviser_passes_axe(page: Page, survey_site, checked):
    sign_in_with_keyboard(page, survey_site, "kvalitet", checked)
    round_ = Round.objects.get()
    unit = round_.units.order_by("name").first()
    questionnaire = Questionnaire.objects.get(key="hso-brukerundersokelse-2016")
    paths = [
        "/staff/surveys/",
        "/staff/surveys/new/",
        round_.get_absolute_url(),
        f"{round_.get_absolute_url()}edit/",
        f"{round_.get_absolute_url()}import/",
        f"{round_.get_absolute_url()}enter/",
        f"{round_.get_absolute_url()}enter/?for=relatives",
        f"{round_.get_absolute_url()}units/{unit.pk}/contact/",  # type: ignore[union-attr]
        "/staff/surveys/questionnaires/",
        questionnaire.get_absolute_url(),
        f"{questionnaire.get_absolute_url()}?lang=en",
    ]
    for path in paths:
        page.goto(survey_site + path)
        checked(page)
        expect(page.locator("h1")).to_be_visible()


def upload_recipients(
    page: Page, site: str, round_: Round, listing: Path, checked: Callable[[Page], Page]
) -> None:
    page.goto(f"{site}{round_.get_absolute_url()}import/")
    checked(page)
    page.set_input_files("#id_file", str(listing))  # the file chooser is the system's own
    tab_to(page, "#id_skip_invalid")
    page.keyboard.press("Space")
    tab_to(page, "main form button[type=submit]")
    press_and_wait(page)
    assert re.search(r"/staff/tasks/[0-9a-f-]+/$", page.url), page.url


def test_adviser_imports_recipients_and_the_status_page_shows_the_report(
    page: Page, survey_site, checked, tmp_path: Path
):
    listing = tmp_path / "mottakere.csv"
    listing.write_text(RECIPIENTS + "Uten Adresse;;3015;Drammen;KON-BBS;nb\n", encoding="utf-8")
    round_ = Round.objects.get()
    before = Recipient.objects.count()
    sign_in_with_keyboard(page, survey_site, "kvalitet", checked)
    page.goto(f"{survey_site}{round_.get_absolute_url()}")
    checked(page)

    upload_recipients(page, survey_site, round_, listing, checked)
    checked(page)
    tasks.run_pending()
    # The page asks how far the task has come and reloads itself when it is done.
    expect(page.locator("main")).to_contain_text("2 mottakere ble importert", timeout=10_000)
    checked(page)

    expect(page.locator("table")).to_contain_text("4")  # the row without an address
    assert Recipient.objects.count() == before + 2


def test_import_status_is_read_without_javascript(browser, survey_site, tmp_path: Path):
    listing = tmp_path / "mottakere.csv"
    listing.write_text(RECIPIENTS, encoding="utf-8")
    round_ = Round.objects.get()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(survey_site + "/staff/login/")
    page.fill("#id_username", "kvalitet")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    upload_recipients(page, survey_site, round_, listing, lambda page: page)
    expect(page.locator("main")).to_contain_text("Venter på å starte")
    tasks.run_pending()
    with page.expect_navigation():
        page.click("main a.button")  # "Oppdater siden"
    context.close()

    assert Recipient.objects.filter(name="Berit Berg").exists()


def test_adviser_types_in_a_paper_form_with_the_keyboard(page: Page, survey_site, checked):
    round_ = Round.objects.get()
    sign_in_with_keyboard(page, survey_site, "kvalitet", checked)
    page.goto(f"{survey_site}{round_.get_absolute_url()}enter/")
    checked(page)

    tab_to(page, "#id_unit")
    page.keyboard.press("ArrowDown")
    tab_to(page, "#id_s-s01")
    page.keyboard.type("4")
    tab_to(page, "#id_i-s01")
    page.keyboard.type("5")
    tab_to(page, "main form button[type=submit]")
    press_and_wait(page)
    checked(page)

    expect(page.locator(".messages")).to_be_visible()
    response = Response.objects.get()
    assert (response.mode, response.scores[0], response.importance[0]) == ("paper", "4", "5")
