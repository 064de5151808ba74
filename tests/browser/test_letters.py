"""Printing letters in Chromium: a quality adviser prints, downloads, and a code from the PDF
opens the survey. Keyboard only where a person acts; axe on every page."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pypdf
from playwright.sync_api import Page, expect

from medvirk.core import tasks
from medvirk.letters import demo as letters_demo
from medvirk.organisation.models import Municipality
from medvirk.surveys.models import Round

from .conftest import press_and_wait, sign_in_with_keyboard, tab_to

CODE = re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b")


def test_adviser_prints_letters_and_a_code_from_the_pdf_opens_the_survey(
    page: Page, survey_site, checked, settings, tmp_path: Path
):
    settings.MEDVIRK_PUBLIC_HOST = urlsplit(survey_site).netloc
    settings.MEDVIRK_LETTERS_DIR = tmp_path / "letters"
    letters_demo.extend_demo(Municipality.objects.get(slug="drammen"))
    round_ = Round.objects.get()
    unit = round_.units.get(code="KON-BBS")
    sign_in_with_keyboard(page, survey_site, "kvalitet", checked)

    page.goto(f"{survey_site}{round_.get_absolute_url()}")
    checked(page)
    tab_to(page, f"a[href='/staff/letters/round/{round_.pk}/']")
    press_and_wait(page)
    checked(page)
    tab_to(page, f"input[name='units'][value='{unit.pk}']")
    page.keyboard.press("Space")
    tab_to(page, "#print ~ form button[type=submit]")
    press_and_wait(page)
    checked(page)
    tasks.run_pending()
    expect(page.locator("main")).to_contain_text("12 brev er klare", timeout=15_000)
    checked(page)
    tab_to(page, "a[href$='/download/']")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    pdf = tmp_path / "brev.pdf"
    download.value.save_as(pdf)

    pages = pypdf.PdfReader(pdf).pages
    codes = [CODE.findall(p.extract_text())[0] for p in pages]
    assert len(pages) == len(codes) == 12
    page.goto(f"{survey_site}/svar/")
    checked(page)
    tab_to(page, "#id_code")
    page.keyboard.type(codes[0])
    press_and_wait(page)
    checked(page)
    assert page.url.endswith("/svar/start/")
