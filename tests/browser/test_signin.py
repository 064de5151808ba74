"""Staff sign-in in Chromium: two-factor set-up and sign-in by keyboard, the lock-out page,
and the main pages with their Content-Security-Policy enforced."""

from __future__ import annotations

import re
from base64 import b32decode
from collections.abc import Callable

from django_otp.oath import totp
from playwright.sync_api import Browser, Page, expect

from medvirk.organisation.models import Municipality

from .conftest import PASSWORD, AxeTracker, press_and_wait, tab_to

BRAND = "#7a1f3d"
BRAND_RGB = "rgb(122, 31, 61)"

# Collects every violation the page reports, before any of its own scripts run.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def password_step(
    page: Page,
    base_url: str,
    username: str,
    password: str = PASSWORD,
    *,
    checked: Callable[[Page], Page] | None = None,
) -> None:
    page.goto(f"{base_url}/staff/login/")
    if checked is not None:
        checked(page)
    tab_to(page, "#id_username")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    press_and_wait(page)


def type_code(page: Page, code: str) -> None:
    tab_to(page, "#id_code")
    page.keyboard.type(code)
    press_and_wait(page)


def test_an_administrator_sets_up_two_factor_and_signs_in_with_a_backup_code(
    page: Page, demo_site, checked: Callable[[Page], Page]
):
    Municipality.objects.filter(slug="drammen").update(two_factor_required=True)

    password_step(page, demo_site, "admin", checked=checked)
    assert "/staff/account/two-factor/setup/" in page.url
    checked(page)
    expect(page.locator(".qr-code svg")).to_be_visible()
    key = page.locator(".secret-key code").inner_text()
    type_code(page, f"{totp(b32decode(key.replace(' ', '')), drift=0):06d}")

    assert "/staff/account/two-factor/backup-codes/" in page.url
    checked(page)
    codes = page.locator(".backup-codes code").all_inner_texts()
    assert len(codes) == 10
    tab_to(page, "a.button")
    press_and_wait(page)
    assert re.search(r"/staff/$", page.url)
    checked(page)

    tab_to(page, ".logout-form button")
    press_and_wait(page)
    checked(page)
    password_step(page, demo_site, "admin", checked=checked)
    assert "/staff/account/two-factor/verify/" in page.url
    checked(page)
    type_code(page, codes[0])

    assert re.search(r"/staff/$", page.url)
    checked(page)
    expect(page.locator(".message--warning")).to_contain_text("reservekode")


def test_too_many_wrong_passwords_show_the_lock_page(
    page: Page, demo_site, checked: Callable[[Page], Page]
):
    for attempt in range(5):
        password_step(page, demo_site, "kvalitet", f"feil-passord-{attempt}", checked=checked)
        checked(page)

    password_step(page, demo_site, "kvalitet", checked=checked)

    checked(page)
    expect(page.locator("h1")).to_contain_text("For mange feil passord")
    expect(page.locator("main")).to_contain_text("Prøv igjen om 15 minutter")
    assert "/staff/login/" in page.url


def test_main_pages_break_no_rule_of_their_policy_and_keep_the_brand_colour(
    browser: Browser, survey_site, axe_tracker: AxeTracker
):
    Municipality.objects.filter(slug="drammen").update(brand_colour=BRAND)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    public = ["/", "/svar/", "/resultater/", "/brukerrad/", "/staff/login/"]
    staff = [
        "/staff/",
        "/staff/organisation/",
        "/staff/organisation/settings/",
        "/staff/users/",
        "/staff/surveys/",
        "/staff/results/",
        "/staff/councils/",
        "/staff/account/two-factor/",
        "/staff/account/two-factor/setup/",
    ]
    seen: dict[str, tuple[list[str], str]] = {}

    def visit(path: str) -> None:
        page.goto(survey_site + path)
        axe_tracker.check(page)
        colour = page.evaluate(
            "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
        )
        seen[path] = (page.evaluate("window.__cspViolations"), colour)

    for path in public:
        visit(path)
    password_step(page, survey_site, "admin")
    for path in staff:
        visit(path)
    context.close()

    assert {path: v for path, (v, _c) in seen.items() if v} == {}
    assert [m for m in messages if "Content Security Policy" in m] == []
    assert {path: c for path, (_v, c) in seen.items() if c != BRAND_RGB} == {}


def test_the_watch_would_see_a_blocked_inline_style(browser: Browser, demo_site):
    """Positive control: an inline style attribute added to a page is reported."""
    context = browser.new_context()
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    page.goto(demo_site + "/")

    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<style>body{color:red}</style>')")
    page.wait_for_timeout(200)
    found = page.evaluate("window.__cspViolations")
    context.close()

    assert any(v.startswith("style-src") for v in found)
