"""No page, file or stored cell shows the answers of a group below the smallest group.

Nord hjemmetjeneste has two respondents who answered 1 to every statement but the first and
rated every importance 2: its figures would print as 1,00 (or 1,0) and 2,00 — numbers no
other group in the round can have. Every page reachable from the results' start pages, for
every role, is read and searched for them.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from medvirk.results import services
from medvirk.results.models import ResultCell, ResultSet
from medvirk.surveys.models import Audience

from .conftest import Answered, add_responses, answers, close, open_round

LINK = re.compile(r'href="([^"#]+)')
SMALL_GROUP_FIGURES = re.compile(r"(?<![\d,])(1,00?|2,00)(?![\d])")


@pytest.fixture
def small_group(world, questionnaires) -> Answered:
    round_ = open_round(world, questionnaires, name="Liten gruppe", days_ago=20)
    add_responses(round_, world.unit, [answers(first, "4", "5") for first in "455345"])
    add_responses(round_, world.sibling, [answers("2", "1", "2"), answers("1", "1", "2")])
    add_responses(round_, world.loose_unit, [answers(first, "4", "4") for first in "4455324"])
    close(round_)
    result_set = services.results_compute(actor=None, round_=round_)
    services.results_publish(actor=None, result_set=result_set)
    return Answered(round_, ResultSet.objects.get(pk=result_set.pk))


def crawl(client: Client, starts: list[str]) -> dict[str, str]:
    """Every page under the start pages' paths that links reach, with its text."""
    seen: dict[str, str] = {}
    todo = list(starts)
    prefixes = tuple(starts)
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.content.decode(errors="replace") if response.status_code == 200 else ""
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for link in LINK.findall(seen[url]):
            target = urlsplit(urljoin(url, link.replace("&amp;", "&")))
            path = target.path + (f"?{target.query}" if target.query else "")
            # Files (PDF, spreadsheet, CSV) are read in test_exports.py and test_reports.py.
            is_file = target.path.endswith((".pdf", ".xlsx", ".csv"))
            if target.netloc in ("", "alpha.test") and path.startswith(prefixes) and not is_file:
                todo.append(path)
    return seen


def visible_figures(pages: dict[str, str]) -> dict[str, list[str]]:
    return {
        url: SMALL_GROUP_FIGURES.findall(re.sub(r"<[^>]+>", " ", text))
        for url, text in pages.items()
        if SMALL_GROUP_FIGURES.search(re.sub(r"<[^>]+>", " ", text))
    }


@pytest.mark.parametrize("role", ["admin", "adviser", "manager", "council"])
def test_no_staff_page_shows_the_small_groups_figures(client_for, small_group: Answered, role):
    pages = crawl(client_for(role), ["/staff/results/"])

    assert len(pages) > 3
    assert visible_figures(pages) == {}


def test_no_public_page_shows_the_small_groups_figures(anonymous, small_group: Answered):
    pages = crawl(anonymous, ["/resultater/"])

    assert len(pages) > 2
    assert visible_figures(pages) == {}


def test_the_crawl_would_find_the_figures_if_they_were_shown(client_for, small_group: Answered):
    """The search above can fail: the same walk finds a shown group's own figures."""
    pages = crawl(client_for("adviser"), ["/staff/results/"])

    shown = re.compile(r"(?<![\d,])4,00(?![\d])")  # Helsehuset: every other statement 4
    assert any(shown.search(text) for text in pages.values())


def test_a_suppressed_group_has_nothing_stored_to_show(world, small_group: Answered):
    cell = ResultCell.objects.get(
        result_set=small_group.result_set, audience=Audience.USERS, key=f"unit-{world.sibling.pk}"
    )

    assert (cell.suppressed, cell.figures) == ("primary", None)


def test_results_pages_read_only_stored_cells_never_the_responses():
    """The one way a page could show a small group is to count the responses itself.

    Computing reads them (services.py), the demo writes them, and the analysts' answer file
    (exports.py) lists them, coarsened so that no group in it is small (test_exports.py).
    """
    package = Path(__file__).resolve().parents[2] / "medvirk" / "results"
    readers = {
        path.name
        for path in package.rglob("*.py")
        if "Response.objects" in path.read_text() or "ResponseText.objects" in path.read_text()
    }

    assert readers <= {"services.py", "demo.py", "exports.py"}
