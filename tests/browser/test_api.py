"""The API's staff pages in Chromium: a system administrator finds the documentation from the
menu, makes a key with the keyboard alone, sees it once, and revokes it; axe-core on every
page, and no page scrolls sideways at 320 px or at 200 % zoom."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from .conftest import PASSWORD, AxeTracker, press_and_wait, sign_in_with_keyboard, tab_to


def test_admin_makes_and_revokes_a_key_with_the_keyboard(page: Page, demo_site, checked):
    sign_in_with_keyboard(page, demo_site, "admin", checked)
    with page.expect_navigation():
        page.locator("nav").get_by_role("link", name="API", exact=True).press("Enter")
    assert page.url.endswith("/staff/api/"), page.url
    checked(page)
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("main")).to_contain_text("/api/v1/rounds")

    page.goto(demo_site + "/staff/api-keys/new/")
    checked(page)
    tab_to(page, "#id_name")
    page.keyboard.type("Gerica-eksport")
    tab_to(page, "input[name=scopes][value='rounds:read']")
    page.keyboard.press("Space")
    tab_to(page, "main form button[type=submit]")
    press_and_wait(page)
    checked(page)
    key = page.locator("#api-key").input_value()
    assert re.fullmatch(r"mvk_[0-9a-f]{8}_\S+", key), key

    page.goto(demo_site + "/staff/api-keys/")
    checked(page)
    expect(page.locator("main")).to_contain_text("Gerica-eksport")
    assert key not in page.content()  # shown once, on the page that made it
    tab_to(page, "main form button[type=submit]")
    press_and_wait(page)
    checked(page)
    expect(page.locator("main")).to_contain_text("Gerica-eksport")
    expect(page.locator("main form button[type=submit]")).to_have_count(0)


def test_api_pages_reflow_at_320_px_and_at_200_percent_zoom(
    browser: Browser, demo_site, axe_tracker: AxeTracker
):
    for width in (320, 640):  # 640 CSS px is a 1280 px window at 200 % zoom
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        axe_tracker.record(page)
        page.goto(demo_site + "/staff/login/")
        axe_tracker.check(page)
        page.fill("#id_username", "admin")
        page.fill("#id_password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url(re.compile(r".*/staff/$"))
        axe_tracker.check(page)
        page.goto(demo_site + "/staff/api-keys/new/")
        axe_tracker.check(page)
        page.fill("#id_name", f"Bredde {width}")
        page.check("input[name=scopes][value='results:read']")
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        for path in [None, "/staff/api/", "/staff/api-keys/"]:
            if path is not None:
                page.goto(demo_site + path)
            axe_tracker.check(page)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at {width}px"
        context.close()
