"""Every table of a round's results as an XLSX workbook (see exports.py for what goes in)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, cast

from django.core.exceptions import PermissionDenied
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.dimensions import ColumnDimension, DimensionHolder

from medvirk.surveys.models import Audience

from . import analysis, presentation
from .exports import audiences_of, cells_for
from .models import ResultSet, Suppressed
from .presentation import CellView

DASH = "\u2013"  # what the pages show instead of a suppressed figure
SCORE = "0.00"
SHARE = "0%"
SIGNED = '+0.00;"\u2212"0.00;0.00'  # with a real minus sign, quoted as Excel wants
COUNT = "0"


def workbook(result_set: ResultSet, *, user: Any = None) -> bytes:
    """Every table of a round's results as an XLSX workbook.

    Sheets: an overview of every group, one sheet per audience with a row per group and
    statement, the section indexes, and the importance–performance analysis of each group
    shown. With ``user`` only the groups that user may see (selectors.cells_visible), and
    only if they may see the round at all; without, every group (the system's exports).
    """
    round_ = result_set.round
    if user is not None and not user.has_perm("results.view_round", round_):
        raise PermissionDenied
    views = {
        audience: [
            presentation.cell_view(cell) for cell in cells_for(result_set, audience, user=user)
        ]
        for audience in audiences_of(result_set)
    }
    book = Workbook(write_only=True)
    _overview(_sheet(book, _("Overview")), result_set, views)
    for audience, audience_views in views.items():
        _statements(_sheet(book, str(Audience(audience).label)), audience_views)
    _sections(_sheet(book, _("Section indexes")), views)
    _ipa(_sheet(book, _("Importance and performance")), views)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def _sheet(book: Workbook, title: str) -> WriteOnlyWorksheet:
    # Excel refuses sheet names over 31 characters or with any of []:*?/\ in them.
    sheet: WriteOnlyWorksheet = book.create_sheet(_SHEET_NAME.sub("-", str(title))[:31])
    return sheet


@dataclass(frozen=True)
class Column:
    title: str
    width: float = 12
    format: str | None = None


class _HasColumnDimensions(Protocol):
    column_dimensions: DimensionHolder[str, ColumnDimension]


def _widths(sheet: WriteOnlyWorksheet, columns: Sequence[Column]) -> None:
    # A write-only sheet has column_dimensions too (Worksheet._setup gives it them), but
    # types-openpyxl does not declare them on WriteOnlyWorksheet.
    dimensions = cast(_HasColumnDimensions, sheet).column_dimensions
    for number, column in enumerate(columns, start=1):
        dimensions[get_column_letter(number)].width = column.width


def _header(sheet: WriteOnlyWorksheet, columns: Sequence[Column]) -> None:
    _widths(sheet, columns)
    sheet.freeze_panes = "A2"
    _heading_row(sheet, [column.title for column in columns])


def _heading_row(sheet: WriteOnlyWorksheet, titles: Iterable[str]) -> None:
    row = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=str(title))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        row.append(cell)
    sheet.append(row)


def _row(sheet: WriteOnlyWorksheet, columns: Sequence[Column], values: Sequence[Any]) -> None:
    row = []
    for column, value in zip(columns, values, strict=True):
        # Labels of choices are lazy translations, which openpyxl cannot write.
        cell = WriteOnlyCell(sheet, value=str(value) if isinstance(value, Promise) else value)
        if column.format and isinstance(value, int | float) and not isinstance(value, bool):
            cell.number_format = column.format
        row.append(cell)
    sheet.append(row)


def _shown_text(suppressed: str) -> str:
    return presentation.suppressed_reason(suppressed) if suppressed else str(Suppressed.NO.label)


def _yes(value: bool) -> str:
    return _("Yes") if value else _("No")


def _overview(
    sheet: WriteOnlyWorksheet, result_set: ResultSet, views: dict[str, list[CellView]]
) -> None:
    round_ = result_set.round
    columns = [
        Column(_("Respondents"), 14),
        Column(_("Level"), 22),
        Column(_("Group"), 34),
        Column(_("Invited"), 10, COUNT),
        Column(_("Responses"), 11, COUNT),
        Column(_("Response rate"), 11, SHARE),
        Column(_("Shown"), 60),
    ]
    _widths(sheet, columns)
    computed = formats.date_format(timezone.localtime(result_set.computed_at), "SHORT_DATE_FORMAT")
    facts = [
        (_("Municipality"), round_.municipality.name),
        (_("Service area"), round_.service_area.name),
        (_("Round"), round_.name),
        (_("State"), result_set.get_state_display()),
        (_("Computed"), computed),
        (_("Smallest group shown"), result_set.min_n),
        (_("Compared with"), str(result_set.compared_with or "") or DASH),
    ]
    for label, value in facts:
        title = WriteOnlyCell(sheet, value=str(label))
        title.font = Font(bold=True)
        sheet.append([title, value])
    sheet.append([])
    _heading_row(sheet, [column.title for column in columns])
    for audience, audience_views in views.items():
        for view in audience_views:
            cell = view.cell
            rate = cell.responses / cell.invited if cell.invited else None
            _row(
                sheet,
                columns,
                [
                    Audience(audience).label,
                    cell.get_level_display(),
                    cell.name,
                    cell.invited,
                    cell.responses,
                    rate,
                    _shown_text(cell.suppressed),
                ],
            )


def _group_columns() -> list[Column]:
    return [Column(_("Level"), 16), Column(_("Group"), 30)]


def _statement_columns(point_labels: Sequence[str]) -> list[Column]:
    points = [
        Column(f"{point} {label}", 12, SHARE) for point, label in enumerate(point_labels, start=1)
    ]
    return [
        *_group_columns(),
        Column(_("Section"), 22),
        Column(_("No."), 6),
        Column(_("Statement"), 50),
        Column(_("Shown"), 24),
        Column(_("Valid answers"), 10, COUNT),
        Column(_("Average"), 10, SCORE),
        Column(_("95 % interval, from"), 11, SCORE),
        Column(_("95 % interval, to"), 11, SCORE),
        Column(_("Standard deviation"), 11, SCORE),
        Column(_("Agree"), 10, SHARE),
        Column(_("Don't know"), 10, SHARE),
        *points,
        Column(_("Importance (average)"), 12, SCORE),
        Column(_("Gap (importance − score)"), 12, SIGNED),
        Column(_("Change since the previous round"), 13, SIGNED),
        Column(_("Change, 95 % interval from"), 13, SIGNED),
        Column(_("Change, 95 % interval to"), 13, SIGNED),
        Column(_("Significant change"), 11),
    ]


def _statements(sheet: WriteOnlyWorksheet, views: Sequence[CellView]) -> None:
    if not views:
        return
    spec = views[0].spec
    points = len(views[0].point_labels)
    columns = _statement_columns(views[0].point_labels)
    _header(sheet, columns)
    width = len(columns) - 6  # the figures after the statement and whether it is shown
    asked_importance = spec.importance is not None
    for view in views:
        group = [view.cell.get_level_display(), view.cell.name]
        for row in view.rows:
            start = [*group, row.section, row.number, row.text]
            if row.summary is None:
                figures: list[Any] = [DASH] * width if row.suppressed else [None] * width
                _row(sheet, columns, [*start, _shown_text(row.suppressed), *figures])
                continue
            figures = _statement_figures(
                row.summary, row.change, points=points, asked_importance=asked_importance
            )
            _row(sheet, columns, [*start, _shown_text(""), *figures])


def _statement_figures(
    summary: analysis.ItemSummary,
    change: dict[str, Any] | None,
    *,
    points: int,
    asked_importance: bool,
) -> list[Any]:
    """A shown statement's figures, in the order of ``_statement_columns``."""
    score = summary.score
    shares: list[float | None] = list(summary.distribution) if score.n else [None] * points
    importance = summary.importance.mean if summary.importance else None
    return [
        score.n,
        score.mean,
        score.low,
        score.high,
        score.sd,
        summary.agree,
        summary.dont_know,
        *shares,
        importance if asked_importance else None,
        summary.gap,
        change["diff"] if change else None,
        change["low"] if change else None,
        change["high"] if change else None,
        _yes(bool(change["significant"])) if change else None,
    ]


def _sections(sheet: WriteOnlyWorksheet, views: dict[str, list[CellView]]) -> None:
    columns = [
        Column(_("Respondents"), 14),
        *_group_columns(),
        Column(_("Section"), 30),
        Column(_("Shown"), 24),
        Column(_("Respondents with answers"), 12, COUNT),
        Column(_("Index (average)"), 10, SCORE),
        Column(_("95 % interval, from"), 11, SCORE),
        Column(_("95 % interval, to"), 11, SCORE),
        Column(_("Standard deviation"), 11, SCORE),
        Column(_("Change since the previous round"), 13, SIGNED),
        Column(_("Change, 95 % interval from"), 13, SIGNED),
        Column(_("Change, 95 % interval to"), 13, SIGNED),
        Column(_("Significant change"), 11),
    ]
    _header(sheet, columns)
    width = len(columns) - 5
    for audience, audience_views in views.items():
        for view in audience_views:
            start = [Audience(audience).label, view.cell.get_level_display(), view.cell.name]
            for section in view.sections:
                if section.index is None:
                    figures: list[Any] = [DASH] * width if section.suppressed else [None] * width
                    _row(
                        sheet,
                        columns,
                        [*start, section.title, _shown_text(section.suppressed), *figures],
                    )
                    continue
                index, change = section.index, section.change
                _row(
                    sheet,
                    columns,
                    [
                        *start,
                        section.title,
                        _shown_text(""),
                        index.n,
                        index.mean,
                        index.low,
                        index.high,
                        index.sd,
                        change["diff"] if change else None,
                        change["low"] if change else None,
                        change["high"] if change else None,
                        _yes(bool(change["significant"])) if change else None,
                    ],
                )


def quadrant_names() -> dict[str, str]:
    """The quadrants' names, as the chart on the pages gives them."""
    return {
        "concentrate": _("Concentrate here"),
        "keep_up": _("Keep up the good work"),
        "low_priority": _("Low priority"),
        "overkill": _("Possible overkill"),
    }


def _ipa(sheet: WriteOnlyWorksheet, views: dict[str, list[CellView]]) -> None:
    columns = [
        Column(_("Respondents"), 14),
        *_group_columns(),
        Column(_("No."), 6),
        Column(_("Statement"), 50),
        Column(_("Importance (average)"), 12, SCORE),
        Column(_("Performance (average score)"), 12, SCORE),
        Column(_("Quadrant"), 22),
        Column(_("Priority"), 10, SIGNED),
        Column(_("Concentrate here"), 11),
        Column(_("Placed there beyond doubt (95 % intervals)"), 14),
    ]
    _header(sheet, columns)
    names = quadrant_names()
    for audience, audience_views in views.items():
        for view in audience_views:
            if not view.shown or view.ipa is None:
                continue
            rows = {row.key: row for row in view.rows}
            concentrate = {item.key: item for item in view.ipa.concentrate_here}
            for point in view.ipa.points:
                item = concentrate.get(point.key)
                _row(
                    sheet,
                    columns,
                    [
                        Audience(audience).label,
                        view.cell.get_level_display(),
                        view.cell.name,
                        rows[point.key].number,
                        rows[point.key].text,
                        point.importance,
                        point.performance,
                        names[point.quadrant],
                        point.priority,
                        _yes(item is not None),
                        _yes(item.clear) if item is not None else None,
                    ],
                )
