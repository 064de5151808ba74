"""A published round's public pages as static files for the municipality's own website."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from medvirk.results import services
from medvirk.results.static_export import export_site

from .conftest import Answered

HREF = re.compile(r'href="([^"]*)"')


@pytest.fixture
def published(answered: Answered) -> Answered:
    services.results_publish(actor=None, result_set=answered.result_set)
    return answered


@pytest.fixture
def exported(published: Answered, tmp_path: Path) -> dict[str, str]:
    written = export_site(published.result_set, tmp_path)
    return {path.name: path.read_text(encoding="utf-8") for path in written}


def test_the_export_writes_the_round_every_shown_group_and_the_stylesheet(world, exported):
    assert sorted(exported) == sorted(
        [
            "index.html",
            "relatives.html",
            "users-area.html",
            f"users-district-{world.district.pk}.html",
            f"users-unit-{world.loose_unit.pk}.html",
            "medvirk.css",
        ]
    )


def test_the_export_returns_exactly_the_files_it_wrote(published, tmp_path: Path):
    written = export_site(published.result_set, tmp_path)

    assert sorted(written) == sorted(tmp_path.iterdir())


def test_every_link_is_a_relative_file_of_the_export(exported):
    links = {
        link.partition("#")[0]
        for name, text in exported.items()
        if name.endswith(".html")
        for link in HREF.findall(text)
    } - {""}

    assert links
    assert sorted(link for link in links if link not in exported) == []


def test_every_page_uses_the_stylesheet_next_to_it(exported):
    pages = [text for name, text in exported.items() if name.endswith(".html")]

    assert all('<link rel="stylesheet" href="medvirk.css">' in text for text in pages)
    assert ".public-chart__narrow" in exported["medvirk.css"]


def test_the_charts_are_inline(world, exported):
    page = exported[f"users-unit-{world.loose_unit.pk}.html"]

    assert page.count("<svg") == 2 * 3


def test_no_file_holds_a_suppressed_groups_figures(exported):
    assert [name for name, text in exported.items() if "1,50" in text or "4,20" in text] == []


@pytest.mark.parametrize("name", ["Nord hjemmetjeneste", "Nord sykehjem"])
def test_a_suppressed_unit_is_only_named_as_not_shown(exported, name):
    text = "".join(exported.values())
    tagged = text.count(f'{name} <span class="tag">vises ikke</span>') + text.count(
        f'{name} <span class="tag">ingen svar</span>'
    )

    assert text.count(name) == tagged
    assert f'{name} <span class="tag">vises ikke</span>' in exported["index.html"]


def test_the_overview_has_the_whole_areas_figures(exported):
    assert '<td class="num">3,64</td>' in exported["index.html"]


def test_the_export_is_in_bokmal_by_default(exported):
    assert '<html lang="nb">' in exported["index.html"]


def test_the_export_is_in_the_language_asked_for(published, tmp_path: Path):
    export_site(published.result_set, tmp_path, language="en")

    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page
    assert '<td class="num">3.64</td>' in page


def test_the_export_refuses_results_that_are_not_published(answered: Answered, tmp_path: Path):
    with pytest.raises(ValueError, match="not published"):
        export_site(answered.result_set, tmp_path)

    assert list(tmp_path.iterdir()) == []


def test_the_export_refuses_withdrawn_results(published: Answered, tmp_path: Path):
    services.results_withdraw(actor=None, result_set=published.result_set)

    with pytest.raises(ValueError, match="not published"):
        export_site(published.result_set, tmp_path)
