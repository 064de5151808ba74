"""Browser tests: Debian's Chromium driven by Playwright, with axe-core on every page.

Every page a test opens must pass ``checked(page)`` (axe-core, WCAG 2.1 A and AA) before
the test ends; a page visited but never checked fails the test. Chromium is required: a
missing browser fails loudly, it is never skipped.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Frame, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from medvirk.organisation import demo
from medvirk.organisation.models import Municipality
from medvirk.surveys import demo as survey_demo

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = "demo-passord-for-test"

# Playwright's sync API runs an event loop in this thread; the test thread's database
# access (fixtures) is still synchronous, so Django's guard would refuse it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: install it with `apt-get install chromium`; "
            "browser tests are never skipped",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo_site(django_db_serialized_rollback, transactional_db, live_server: LiveServer) -> str:
    """The demo municipality behind a live server; returns the server's address.

    Serialized rollback brings back what migrations put in the database (the built-in
    service types), which a transactional test would otherwise flush away.
    """
    demo.load_demo(password=PASSWORD)
    return live_server.url


@pytest.fixture
def survey_site(demo_site: str) -> str:
    """The demo municipality with its open survey round."""
    survey_demo.extend_demo(Municipality.objects.get(slug="drammen"))
    return demo_site


class AxeTracker:
    """Remembers every page a browser context opened and which of them axe has checked."""

    def __init__(self) -> None:
        self.axe = Axe()
        self.visited: list[str] = []
        self.checked: list[str] = []

    def record(self, page: Page) -> None:
        def navigated(frame: Frame) -> None:
            if frame != page.main_frame:
                return
            url, _, fragment = frame.url.partition("#")
            # Following an in-page link (#main) stays on the same, already checked page.
            if fragment and self.visited and self.visited[-1] == url:
                return
            self.visited.append(url)

        page.on("framenavigated", navigated)

    def check(self, page: Page) -> Page:
        page.wait_for_load_state("load")
        results = self.axe.run(
            page,
            options={
                "runOnly": {"type": "tag", "values": WCAG_TAGS},
                "resultTypes": ["violations"],
            },
        )
        assert results.violations_count == 0, f"axe on {page.url}:\n{results.generate_report()}"
        self.checked.append(page.url.partition("#")[0])
        return page

    def unchecked(self) -> list[str]:
        """Pages opened more often than axe checked them (each visit needs its own check)."""
        visits, checks = Counter(self.visited), Counter(self.checked)
        return [url for url, count in visits.items() if checks[url] < count]


@pytest.fixture
def axe_tracker() -> AxeTracker:
    return AxeTracker()


@pytest.fixture
def context(browser: Browser, axe_tracker: AxeTracker) -> Iterator[BrowserContext]:
    # axe-core is put into each page from outside; the pages' Content-Security-Policy would
    # refuse it as a script tag. test_signin.py loads the pages with the policy enforced.
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="nb-NO", bypass_csp=True
    )
    yield context
    context.close()
    assert axe_tracker.unchecked() == [], "pages visited without an axe check"


@pytest.fixture
def page(context: BrowserContext, axe_tracker: AxeTracker) -> Page:
    page = context.new_page()
    axe_tracker.record(page)
    return page


@pytest.fixture
def checked(axe_tracker: AxeTracker) -> Callable[[Page], Page]:
    """Run axe on the page as it is now; call it after every navigation."""
    return axe_tracker.check


def tab_to(page: Page, selector: str, *, limit: int = 60) -> None:
    """Press Tab until the element matching ``selector`` has focus, as a keyboard user does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def press_and_wait(page: Page, key: str = "Enter") -> None:
    """Press a key that submits a form or follows a link, and wait for the new page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def sign_in_with_keyboard(page: Page, base_url: str, username: str, checked) -> None:
    page.goto(f"{base_url}/staff/login/")
    checked(page)
    tab_to(page, "#id_username")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    press_and_wait(page)
    assert re.search(r"/staff/$", page.url), f"sign-in failed, still on {page.url}"
    checked(page)
