"""One published round's public pages as static HTML files, for the municipality's website.

The files are the pages of the public results site (public_views.py builds both): the
round's overview (``index.html``, and ``relatives.html`` when the round asked relatives),
and a page for every group that is shown (``users-unit-17.html``). They link to each other
by relative file names, have their charts inline, and use ``medvirk.css`` copied next to
them, so the folder can be put anywhere. A suppressed group gets no file: its name is in
the lists with the words "not shown", and nothing else of it is anywhere.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from medvirk.surveys.models import Audience

from .models import ResultCell, ResultSet
from .public_views import Page, audiences, cell_page, is_public, round_page

STYLESHEET = "medvirk.css"


class FileLinks:
    """Links between the exported files; the list of all rounds is not part of them."""

    def rounds(self) -> str | None:
        return None

    def round(self, round_id: int, audience: str) -> str:
        return round_file(audience)

    def cell(self, round_id: int, audience: str, key: str) -> str:
        return cell_file(audience, key)


def round_file(audience: str) -> str:
    return "index.html" if audience == Audience.USERS else f"{audience}.html"


def cell_file(audience: str, key: str) -> str:
    return f"{audience}-{key}.html"


def export_site(result_set: ResultSet, out_dir: Path, *, language: str | None = None) -> list[Path]:
    """Write the round's public pages into ``out_dir``; return the files written.

    Only published results are exported: anything else raises ValueError. The pages are in
    ``language`` (by default the installation's, bokmål).
    """
    current = (
        ResultSet.objects.select_related("round__municipality", "round__service_area")
        .filter(pk=result_set.pk)
        .first()
    )
    if current is None or current.state != ResultSet.State.PUBLISHED:
        raise ValueError(f"the results of {result_set} are not published; publish them first")
    out_dir.mkdir(parents=True, exist_ok=True)
    links = FileLinks()
    language = language or settings.LANGUAGE_CODE
    written = [_copy_stylesheet(out_dir)]
    with translation.override(language):
        for audience, _label in audiences(current.round):
            page = round_page(current, audience, links)
            written.append(_write(out_dir / round_file(audience), page, current, language))
            cells = ResultCell.objects.filter(result_set=current, audience=audience)
            for found in cells.order_by("key"):
                if not is_public(found):
                    continue  # no file: it is listed as not shown, without a link
                page = cell_page(current, found, links)
                written.append(
                    _write(out_dir / cell_file(audience, found.key), page, current, language)
                )
    return written


def _write(path: Path, page: Page, result_set: ResultSet, language: str) -> Path:
    html = render_to_string(
        "results/public/static_page.html",
        {
            "page": Page(page.title, mark_safe(page.body), page.status),  # noqa: S308 (ours)
            "municipality": result_set.round.municipality,
            "language": language,
            "stylesheet": STYLESHEET,
        },
    )
    path.write_text(html, encoding="utf-8")
    return path


def _copy_stylesheet(out_dir: Path) -> Path:
    source = finders.find("core/medvirk.css")
    if not source:
        raise FileNotFoundError("core/medvirk.css is not among the static files")
    target = out_dir / STYLESHEET
    shutil.copyfile(str(source), target)
    return target
