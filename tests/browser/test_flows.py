"""Whole flows in Chromium, keyboard alone, with axe-core on every page."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from medvirk.organisation.models import Unit

from .conftest import PASSWORD, press_and_wait, sign_in_with_keyboard, tab_to

STAFF_PAGES_FOR_ADMIN = [
    "/staff/",
    "/staff/organisation/",
    "/staff/organisation/settings/",
    "/staff/organisation/units/new/",
    "/staff/organisation/districts/new/",
    "/staff/organisation/service-areas/new/",
    "/staff/organisation/service-types/",
    "/staff/organisation/service-types/new/",
    "/staff/users/",
    "/staff/users/new/",
    "/staff/audit/",
]


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(page: Page, demo_site, checked):
    page.goto(demo_site + "/")
    checked(page)

    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Hopp til hovedinnholdet")
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main"


def test_visitor_switches_to_english_and_back_with_the_keyboard(page: Page, demo_site, checked):
    page.goto(demo_site + "/")
    checked(page)
    expect(page.locator("h1")).to_contain_text("Si din mening")

    tab_to(page, "#language-select")
    page.keyboard.press("End")  # English is the last language
    tab_to(page, ".language-form button")
    press_and_wait(page)
    checked(page)

    expect(page.locator("h1")).to_contain_text("Your say in the health and care services")
    assert page.locator("html").get_attribute("lang") == "en"


def test_staff_signs_in_and_out_with_the_keyboard(page: Page, demo_site, checked):
    sign_in_with_keyboard(page, demo_site, "admin", checked)
    expect(page.locator("h1")).to_have_text("Oversikt")

    tab_to(page, ".logout-form button")
    press_and_wait(page)
    assert page.url == demo_site + "/"
    checked(page)

    expect(page.locator(".signin-link")).to_be_visible()


def test_wrong_password_says_so_and_keeps_the_username(page: Page, demo_site, checked):
    page.goto(demo_site + "/staff/login/")
    checked(page)
    page.fill("#id_username", "admin")
    page.fill("#id_password", "feil-passord")
    press_and_wait(page)
    checked(page)

    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#id_username")).to_have_value("admin")


def test_manager_corrects_and_saves_own_unit_with_the_keyboard(page: Page, demo_site, checked):
    sign_in_with_keyboard(page, demo_site, "leder.konnerud", checked)

    unit = Unit.objects.get(name="Konnerud bo- og behandlingssenter")
    tab_to(page, "nav.staff-nav a[href$='/staff/organisation/']")
    press_and_wait(page)
    checked(page)
    tab_to(page, f"a[href='{unit.get_absolute_url()}']")
    press_and_wait(page)
    checked(page)
    tab_to(page, "a[href$='/edit/']")
    press_and_wait(page)
    checked(page)

    tab_to(page, "#id_phone")
    page.keyboard.press("Control+A")
    page.keyboard.type("32 04 10 10")
    tab_to(page, "#id_postal_code")
    page.keyboard.press("Control+A")
    page.keyboard.type("30X")
    press_and_wait(page)
    checked(page)

    expect(page.locator(".error-summary")).to_contain_text("Skriv inn fire sifre.")
    expect(page.locator("#id_phone")).to_have_value("32 04 10 10")

    tab_to(page, ".error-summary a")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_postal_code"
    page.keyboard.press("Control+A")
    page.keyboard.type("3029")
    press_and_wait(page)
    assert page.url.partition("#")[0].endswith(unit.get_absolute_url())
    checked(page)

    expect(page.locator(".messages")).to_contain_text("Lagret.")
    assert Unit.objects.get(name="Konnerud bo- og behandlingssenter").postal_code == "3029"


def test_every_admin_page_passes_axe(page: Page, demo_site, checked):
    sign_in_with_keyboard(page, demo_site, "admin", checked)
    unit = Unit.objects.get(name="Helsehuset")
    pages = [
        *STAFF_PAGES_FOR_ADMIN,
        unit.get_absolute_url(),
        f"{unit.get_absolute_url()}edit/",
        "/staff/audit/?action=unit.create",
    ]
    for path in pages:
        page.goto(demo_site + path)
        checked(page)
        expect(page.locator("h1")).to_be_visible()

    page.goto(demo_site + "/staff/users/")
    checked(page)
    page.click("a:text('Fatima Ali')")
    page.wait_for_url(re.compile(r".*/users/\d+/$"))
    checked(page)


def test_admin_adds_a_user_and_a_second_role_with_the_keyboard(page: Page, demo_site, checked):
    sign_in_with_keyboard(page, demo_site, "admin", checked)
    page.goto(demo_site + "/staff/users/new/")
    checked(page)

    for field, text in [
        ("#id_username", "ny.radgiver"),
        ("#id_first_name", "Nora"),
        ("#id_last_name", "Rådgiver"),
        ("#id_password", PASSWORD + "-ny"),
    ]:
        tab_to(page, field)
        page.keyboard.type(text)
    tab_to(page, "#id_role")
    page.keyboard.type("Kvalitet")
    tab_to(page, "#id_service_area")
    page.keyboard.press("ArrowDown")
    tab_to(page, "main form button[type=submit]")
    press_and_wait(page)
    assert re.search(r"/users/\d+/$", page.url), page.url
    checked(page)

    expect(page.locator(".role-list")).to_contain_text("Kvalitetsrådgiver")


def test_pages_reflow_at_320_px_and_at_200_percent_zoom(browser, demo_site, axe_tracker):
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
        for path in ["/", "/staff/organisation/", "/staff/users/", "/staff/audit/"]:
            page.goto(demo_site + path)
            axe_tracker.check(page)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
        context.close()


def test_every_flow_works_without_javascript(browser, demo_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_site + "/staff/login/")
    page.fill("#id_username", "leder.konnerud")
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/staff/$"))
    unit = Unit.objects.get(name="Konnerud dagsenter")
    page.goto(demo_site + "/staff/organisation/")
    assert page.locator(f"a[href='{unit.get_absolute_url()}']").count() == 0

    own = Unit.objects.get(name="Konnerud bo- og behandlingssenter")
    page.goto(demo_site + own.get_absolute_url())
    page.select_option("#id_service_type", label="Avlastning")
    with page.expect_navigation():
        page.click("text=Legg til tjeneste")
    assert own.services.filter(service_type__code="respite_care").exists()

    page.select_option("#language-select", "nn")
    with page.expect_navigation():
        page.click(".language-form button")
    assert page.locator("html").get_attribute("lang") == "nn"
    context.close()
