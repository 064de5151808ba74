"""Results as PDF reports: one group's for its council's meeting, and the whole area's.

``unit_report`` is the paper a unit's brukerråd (user council) reads before and during its
meeting about the results: a title page, how to read the figures, every statement with its
interval and the whole area's average beside it, the charts of the pages, what to
concentrate on, the approved comments, and a page of ruled lines for the council's notes.
``area_report`` is the whole service area's: every group (shown, or why not), then the
area's figures, charts, analysis and comments.

Everything the reader sees is worked out here, in the reader's language (the active one)
through presentation.py, so a report has the figures and the charts of the pages. The PDF
is typeset by Typst (layout/report.typ) from JSON data, never from markup made here, with
Atkinson Hyperlegible embedded. As for letters (core/documents/typesetting.py), Typst runs in a
process forked for the one report, because its cache grows with every compilation and is
never emptied in a long-lived web or worker process.

Suppressed groups get no report: their figures are not stored, and a report of a group
below the smallest group would be a report of a few people's answers.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import typst
from django.utils import formats, timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from medvirk.core.documents import typesetting
from medvirk.organisation.models import Unit
from medvirk.surveys.models import Audience

from . import presentation, selectors
from .exports import cells_for
from .models import ResultCell, ResultSet
from .presentation import CellView, StatementRow, number

LAYOUT = Path(__file__).resolve().parent / "layout" / "report.typ"
TEXT_WIDTH_MM = 170.0  # A4 less the layout's margins
CHART_HEIGHT_MM = 225.0  # the most a chart may take of a page, with its heading


class ReportError(RuntimeError):
    """Typst refused the report (a bug in the layout or here, not in the user's data)."""


# --- the reports --------------------------------------------------------------------------


def unit_report(cell: ResultCell) -> bytes:
    """A shown group's report for its council: a unit's, or any other group's that is shown.

    Raises ValueError for a suppressed group (the caller answers 404). The caller has found
    the cell among those the user may see (selectors.cell_get).
    """
    if not cell.is_shown:
        raise ValueError("a suppressed group has no figures to report")
    result_set = cell.result_set
    area = selectors.area_cell(result_set, cell.audience)
    view = presentation.cell_view(cell, compare=area)
    compared = view.compare_name != ""
    blocks: list[dict[str, Any]] = [
        _title_page(result_set, cell, view, title=cell.name),
        *_how_to_read(result_set, view),
        *_statement_blocks(view, compared=compared),
        *_chart_blocks(view),
        *_concentrate_blocks(view),
        *_comment_blocks(selectors.comments_shown(cell), by_unit=False),
        {
            "kind": "notes",
            "title": _("The council's notes"),
            "intro": _(
                "For the council's meeting about the results: what should the unit keep "
                "doing, what should it improve first, and what does the council advise?"
            ),
            "date_label": _("Meeting date"),
        },
    ]
    return render(_document(result_set, cell.name, blocks))


def area_report(result_set: ResultSet, audience: str) -> bytes:
    """The whole service area's report for one audience: every group, then the area's figures.

    For those who run the results (every group is listed): the caller checks.
    """
    round_ = result_set.round
    area = selectors.area_cell(result_set, audience)
    if area is None:
        raise ValueError(f"the results have no {audience!r} respondents")
    area.result_set = result_set
    view = presentation.cell_view(area)
    cells = cells_for(result_set, audience)
    blocks: list[dict[str, Any]] = [
        _title_page(result_set, area, view, title=round_.service_area.name),
        *_how_to_read(result_set, view),
        {
            "kind": "landscape",
            "blocks": [
                {"kind": "heading", "level": 1, "text": _("Every group")},
                _overview_table(cells),
            ],
        },
        *_statement_blocks(view, compared=False),
        *_chart_blocks(view),
        *_concentrate_blocks(view),
        *_comment_blocks(selectors.comments_shown(area), by_unit=True),
    ]
    return render(_document(result_set, round_.service_area.name, blocks))


# --- typesetting --------------------------------------------------------------------------


def render(data: Mapping[str, Any]) -> bytes:
    """Typeset report data (see layout/report.typ) as PDF, in a process forked for it."""
    try:
        return typesetting.typeset_document(LAYOUT, data)
    except typst.TypstError as exc:
        raise ReportError(str(exc)) from exc


def _tied(value: Any) -> Any:
    """Strings with a no-break space before "%", as Norwegian writes it: "95 %" never parts."""
    if isinstance(value, str):
        return value.replace(" %", "\u00a0%")
    if isinstance(value, list | tuple):
        return [_tied(item) for item in value]
    if isinstance(value, dict):
        # Charts are made with their own no-break spaces, and are SVG, not text.
        return {key: item if key == "svg" else _tied(item) for key, item in value.items()}
    return value


def _document(result_set: ResultSet, subject: str, blocks: list[dict[str, Any]]) -> dict[str, Any]:
    round_ = result_set.round
    return {
        "lang": (get_language() or "nb").split("-")[0],
        "title": f"{subject} – {round_.name}",
        "author": round_.municipality.name,
        "footer": f"{round_.municipality.name} · {round_.name} · {subject}",
        "blocks": _tied(blocks),
    }


def _pagebreak() -> dict[str, Any]:
    return {"kind": "pagebreak"}


def _date(value: Any) -> str:
    return formats.date_format(timezone.localtime(value), "SHORT_DATE_FORMAT")


# --- the parts ----------------------------------------------------------------------------


def _title_page(
    result_set: ResultSet, cell: ResultCell, view: CellView, *, title: str
) -> dict[str, Any]:
    round_ = result_set.round
    facts = [
        (_("Respondents"), str(Audience(cell.audience).label)),
        (_("Invited"), str(cell.invited) if cell.invited is not None else "–"),
        (_("Responses"), str(cell.responses)),
        (_("Response rate"), view.rate_text),
        (_("Survey period"), f"{_date(round_.opens_at)}–{_date(round_.closes_at)}"),
        (_("Smallest group shown"), str(result_set.min_n)),
        (_("Compared with"), str(result_set.compared_with or "") or "–"),
        (_("Printed"), _date(timezone.now())),
    ]
    notice = None
    if result_set.state == ResultSet.State.PRELIMINARY:
        notice = _(
            "Preliminary results: the round was still open when they were computed, and the "
            "figures can change."
        )
    return {
        "kind": "title",
        "kicker": round_.municipality.name,
        "title": title,
        "subtitle": round_.name,
        "facts": facts,
        "notice": notice,
    }


def _how_to_read(result_set: ResultSet, view: CellView) -> list[dict[str, Any]]:
    labels = view.point_labels
    scale = view.spec.scale
    if scale.agree_from() < scale.points:
        agree = _("“Agree” is the share of answers at the top two points.")
    else:
        agree = _("“Agree” is the share of answers at the top point.")
    return [
        {"kind": "heading", "level": 1, "text": _("How to read this report")},
        {
            "kind": "paragraph",
            "text": " ".join(
                [
                    _("Scores go from 1 (%(lowest)s) to %(points)s (%(highest)s).")
                    % {"lowest": labels[0], "points": scale.points, "highest": labels[-1]},
                    agree,
                    _("“Don't know” answers are not counted in the average."),
                ]
            ),
        },
        {
            "kind": "paragraph",
            "text": _(
                "Nobody's answers can be seen here. A group with fewer than %(min_n)s "
                "respondents is not shown, and some further groups are hidden so that a "
                "small group's answers cannot be worked out by subtracting one published "
                "figure from another. A dash (–) stands where a figure is not shown, with "
                "the reason beside it."
            )
            % {"min_n": result_set.min_n},
        },
        {
            "kind": "paragraph",
            "text": _(
                # Translators: xgettext:no-python-format
                "The 95 % interval is the range the true average lies in with 95 % "
                "certainty, given how many answered and how much their answers differ: the "
                "fewer the answers, the wider it is. A change since the previous round is "
                "marked with * when its own interval does not include zero: then it is "
                "very likely a real change, not chance."
            ),
        },
    ]


def _statement_blocks(view: CellView, *, compared: bool) -> list[dict[str, Any]]:
    """Every statement's figures: a table as wide as a page on its side."""
    columns = [10, 0, 20, 20, 30, 18, 20, 22]
    header = [
        _("No."),
        _("Statement"),
        _("Answers"),
        _("Average"),
        _("95 % interval"),
        _("Agree"),
        _("Don't know"),
        pgettext("since the previous round", "Change"),
    ]
    if compared:
        columns.append(24)
        header.append(_("Whole area"))
    rows: list[dict[str, Any]] = []
    section = None
    for row in view.rows:
        if row.section != section:
            section = row.section
            rows.append({"section": section})
        rows.append(_statement_row(row, compared=compared))
    wide: list[dict[str, Any]] = [
        {"kind": "heading", "level": 1, "text": _("Statement by statement")},
        {
            "kind": "table",
            "columns": columns,
            "align": ["right", "left", *["right"] * (len(columns) - 2)],
            "header": header,
            "rows": rows,
        },
        {
            "kind": "note",
            "text": _("* the interval does not include zero: a real change"),
        },
    ]
    if compared:
        wide.append(
            {
                "kind": "note",
                "text": _("Whole area: the average of %(name)s.") % {"name": view.compare_name},
            }
        )
    return [{"kind": "landscape", "blocks": wide}, *_section_blocks(view)]


def _statement_row(row: StatementRow, *, compared: bool) -> dict[str, Any]:
    start = [str(row.number), row.text]
    if row.summary is None:
        if row.suppressed:
            return {"cells": start, "suppressed": row.reason}
        return {"cells": start, "suppressed": _("No answers.")}
    change = row.change_text + (" *" if row.change_significant else "")
    cells = [
        *start,
        str(row.n),
        row.mean_text,
        row.interval_text,
        row.agree_text,
        row.dont_know_text,
        change,
    ]
    if compared:
        cells.append(row.compare_text)
    return {"cells": cells}


def _section_blocks(view: CellView) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for section in view.sections:
        if section.index is None:
            reason = section.reason or _("No answers.")
            rows.append({"cells": [section.title], "suppressed": reason})
            continue
        significant = bool(section.change and section.change["significant"])
        rows.append(
            {
                "cells": [
                    section.title,
                    str(section.index.n),
                    section.index_text,
                    section.interval_text,
                    section.change_text + (" *" if significant else ""),
                ]
            }
        )
    return [
        {"kind": "heading", "level": 2, "text": _("Section indexes")},
        {
            "kind": "paragraph",
            "text": _(
                "A section's index is the average over respondents of each one's average "
                "score on the section's statements."
            ),
        },
        {
            "kind": "table",
            "columns": [0, 18, 17, 25, 18],
            "align": ["left", "right", "right", "right", "right"],
            "header": [
                _("Section"),
                _("Answers"),
                _("Index"),
                _("95 % interval"),
                pgettext("since the previous round", "Change"),
            ],
            "rows": rows,
        },
    ]


_VIEWBOX = re.compile(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"')


def _chart(svg: str) -> dict[str, Any] | None:
    """A chart as a block, as wide as the text unless that would make it too tall."""
    if not svg:
        return None
    found = _VIEWBOX.search(svg)
    width = TEXT_WIDTH_MM
    if found:
        ratio = float(found.group(1)) / float(found.group(2))
        width = min(TEXT_WIDTH_MM, CHART_HEIGHT_MM * ratio)
    title = re.search(r"<title[^>]*>(.*?)</title>", svg, re.DOTALL)
    return {
        "kind": "chart",
        "svg": svg,
        "width": round(width, 1),
        "alt": html.unescape(title.group(1)) if title else "",
    }


def _by_section(view: CellView) -> list[CellView]:
    """The view cut into one per section: a chart of all 23 statements is taller than a page."""
    parts: list[CellView] = []
    for row in view.rows:
        if not parts or parts[-1].rows[-1].section != row.section:
            parts.append(dataclasses.replace(view, rows=[]))
        parts[-1].rows.append(row)
    return parts


def _chart_blocks(view: CellView) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [{"kind": "heading", "level": 1, "text": _("Charts")}]
    for place, part in enumerate(_by_section(view), start=1):
        blocks.append({"kind": "heading", "level": 2, "text": part.rows[0].section})
        for chart in (
            presentation.distribution_chart(part, id_prefix=f"dist-{place}"),
            presentation.means_chart(part, id_prefix=f"means-{place}"),
            presentation.change_chart(part, id_prefix=f"change-{place}"),
        ):
            block = _chart(chart)
            if block:
                blocks.append(block)
    ipa = _chart(presentation.ipa_chart(view, id_prefix="ipa"))
    if ipa:
        blocks += [
            _pagebreak(),
            {"kind": "heading", "level": 1, "text": _("Importance and performance")},
            ipa,
        ]
    return blocks


def _concentrate_blocks(view: CellView) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [
        {"kind": "heading", "level": 2, "text": _("Concentrate here")},
    ]
    found = view.concentrate_rows
    if not found:
        text = _("No statement lies where importance is high and the score is low.")
        return [*blocks, {"kind": "paragraph", "text": text}]
    blocks.append(
        {
            "kind": "paragraph",
            "text": _(
                "The statements respondents find more important than average but score "
                "lower than average, the most pressing first. “Clearly” means that both "
                "95 % intervals lie clear of the averages of all statements, so the "
                "placing is not chance."
            ),
        }
    )
    rows = []
    for row, item in found:
        rows.append(
            {
                "cells": [
                    str(row.number),
                    row.text,
                    _estimate(item.importance),
                    _estimate(item.performance),
                    _("Clearly") if item.clear else "",
                ]
            }
        )
    blocks.append(
        {
            "kind": "table",
            "columns": [9, 0, 36, 36, 18],
            "align": ["right", "left", "right", "right", "left"],
            "header": [
                _("No."),
                _("Statement"),
                _("Importance (95 % interval)"),
                _("Score (95 % interval)"),
                "",
            ],
            "rows": rows,
        }
    )
    return blocks


def _estimate(estimate: Any) -> str:
    mean = number(estimate.mean, 2)
    if estimate.low is None or estimate.high is None:
        return mean
    return f"{mean} ({number(estimate.low, 2)}–{number(estimate.high, 2)})"


def _comment_blocks(reviews: Sequence[Any], *, by_unit: bool) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [
        _pagebreak(),
        {"kind": "heading", "level": 1, "text": _("Comments")},
    ]
    if not reviews:
        text = _("No comments have been approved for showing.")
        return [*blocks, {"kind": "paragraph", "text": text}]
    blocks.append(
        {
            "kind": "note",
            "text": _(
                "Comments as respondents wrote them, read by a quality adviser before "
                "anyone else, who takes out personal details."
            ),
        }
    )
    groups: dict[int, list[str]] = {}
    for review in reviews:
        groups.setdefault(review.unit_id if by_unit else 0, []).append(review.shown_text)
    names = dict(Unit.objects.filter(pk__in=groups).values_list("pk", "name")) if by_unit else {}
    blocks.append(
        {
            "kind": "comments",
            "groups": [
                {"title": names.get(unit, ""), "items": items}
                for unit, items in sorted(groups.items(), key=lambda g: names.get(g[0], ""))
            ],
        }
    )
    return blocks


def _overview_table(cells: Sequence[ResultCell]) -> dict[str, Any]:
    rows = []
    for cell in cells:
        rate = presentation.percent(cell.responses / cell.invited) if cell.invited else "–"
        start = [
            cell.get_level_display(),
            cell.name,
            str(cell.invited) if cell.invited is not None else "–",
            str(cell.responses),
            rate,
        ]
        if cell.suppressed:
            rows.append(
                {"cells": start, "suppressed": presentation.suppressed_reason(cell.suppressed)}
            )
        else:
            rows.append({"cells": [*start, _("Shown")]})
    return {
        "kind": "table",
        "columns": [34, 0, 22, 22, 26, 95],
        "align": ["left", "left", "right", "right", "right", "left"],
        "header": [
            _("Level"),
            _("Group"),
            _("Invited"),
            _("Responses"),
            _("Response rate"),
            _("Shown"),
        ],
        "rows": rows,
    }


__all__ = ["ReportError", "area_report", "render", "unit_report"]
