"""Results as files to take away: a spreadsheet of every table, and anonymised answers.

``workbook`` writes what the staff pages show, table by table, for everyone who may see the
results; ``anonymised_csv`` writes answers one response a row for the quality advisers'
analysts. Whoever hands a file out records it in the audit log (action
``results.export``): the staff views and the ``export_results`` command do, as they know
who asked and for what; nothing here writes to the database.

The workbook reads every figure through presentation.py, so it has the numbers the pages
have; numbers are written as numbers with a number format, never as text. A group or
statement that is not shown has a dash ("–") and the reason in words instead of figures:
its figures are not stored (models.py), so there is nothing else to write.

The anonymised answers (``anonymised_csv``)
-------------------------------------------

UTF-8 with a byte order mark and ``;`` between fields, which is what Excel set up for
Norway opens as columns. One row per response, in random order (never the order the
answers came in, which would follow the letters' postal codes or the time of answering).
The file is read by programs as much as by people, so its column names and codes are the
same in every language: an analysis script runs on any year's file.

Columns:

``level``
    What ``group`` names: ``unit``, ``district`` or ``area`` (the whole service area).
``group``
    The code of the unit, district or service area the response is counted in.
``<statement key>`` (``s01``, ``s02``, …)
    The score: ``1`` … ``n`` on the questionnaire's scale, ``VI`` for "vet ikke" (don't
    know), empty for no answer.
``<statement key>_imp``
    The importance rating ``1`` … ``n``, empty for none; only for statements asked with
    importance.

Nothing else: no comments, no dates, no mode of answering, no language and no service,
each of which would split a group into smaller ones or point at a person.

Which group a response is counted in, so that every ``group`` has at least ``min_n`` rows:

1. A unit whose own results are shown (its cell is not suppressed): the unit's code.
2. Otherwise its district's code, when the district's own results are shown and the
   district's units that are not shown have at least ``min_n`` responses together. The row
   then stands for "this district's units that are not shown on their own", not for the
   whole district.
3. Otherwise the service area's code, when all responses that end up here have at least
   ``min_n`` together.
4. Otherwise the response is left out.

Rule 2 asks for the district's own results to be shown: were a hidden district's units
named by its code, its shown units' rows and these would add up to the district's figures,
which disclosure control hid to protect some other group.

Each column goes through the same disclosure model as the pages (disclosure.py): a column (a
statement's scores, or its importance ratings) is in the file only if every group of the file
follows exactly, as a set of people, from groups whose pages show that statement — so the file
adds no sum of answers that the pages do not already give, and the pages' guarantee (no set of
fewer than ``min_n`` respondents can be worked out) holds for the file too. A column the pages
hide for any group of the file is therefore left out for every group.
"""

from __future__ import annotations

import csv
import io
import random
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from medvirk.surveys.models import Audience, Response
from medvirk.surveys.questionnaire import DONT_KNOW, QuestionnaireSpec

from . import disclosure, presentation, selectors
from .models import Level, ResultCell, ResultSet, Suppressed
from .presentation import CellView

DASH = "\u2013"  # what the pages show instead of a suppressed figure
SCORE = "0.00"
SHARE = "0%"
SIGNED = '+0.00;"\u2212"0.00;0.00'  # with a real minus sign, quoted as Excel wants
COUNT = "0"

# The anonymised answers' codes (see the module's docstring).
CSV_DONT_KNOW = "VI"
CSV_IMPORTANCE = "_imp"


# --- what to export -----------------------------------------------------------------------


def audiences_of(result_set: ResultSet) -> list[str]:
    """The audiences the round has results for, users first."""
    found = set(ResultCell.objects.filter(result_set=result_set).values_list("audience", flat=True))
    return [audience for audience in Audience.values if audience in found]


def cells_for(result_set: ResultSet, audience: str, *, user: Any = None) -> list[ResultCell]:
    """The groups to export: all of them for the system, those the user may see otherwise."""
    if user is None:
        cells = presentation.ordered(
            ResultCell.objects.filter(result_set=result_set, audience=audience).select_related(
                "unit", "district", "service_type"
            )
        )
    else:
        cells = selectors.cells_visible(user=user, result_set=result_set, audience=audience)
    for cell in cells:
        # One round for all: cell_view reads the questionnaire through it.
        cell.result_set = result_set
    return cells


# --- the workbook -------------------------------------------------------------------------


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
    return book.create_sheet(_SHEET_NAME.sub("-", str(title))[:31])


@dataclass(frozen=True)
class Column:
    title: str
    width: float = 12
    format: str | None = None


def _header(sheet: WriteOnlyWorksheet, columns: Sequence[Column]) -> None:
    for number, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = column.width
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
    for number, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = column.width
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


def _statements(sheet: WriteOnlyWorksheet, views: Sequence[CellView]) -> None:
    if not views:
        return
    spec = views[0].spec
    labels = views[0].point_labels
    points = [Column(f"{point} {label}", 12, SHARE) for point, label in enumerate(labels, start=1)]
    columns = [
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
            summary, score, change = row.summary, row.summary.score, row.change
            shares: list[float | None] = (
                list(summary.distribution) if score.n else [None] * len(points)
            )
            importance = summary.importance.mean if summary.importance else None
            _row(
                sheet,
                columns,
                [
                    *start,
                    _shown_text(""),
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
                ],
            )


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


# --- the anonymised answers ---------------------------------------------------------------

Label = tuple[str, str]  # level, code


@dataclass(frozen=True)
class CsvColumn:
    name: str
    key: str  # the statement's
    index: int  # its place in an answer string
    points: int
    importance: bool  # the importance rating rather than the score


def anonymised_csv(result_set: ResultSet, *, audience: str) -> bytes:
    """One audience's answers, one response a row, for analysts (see the module docstring).

    For those who run the results (quality advisers, administrators): the caller checks.
    """
    round_ = result_set.round
    min_n = result_set.min_n
    area_code = round_.service_area.code
    cells = list(
        ResultCell.objects.filter(result_set=result_set, audience=audience).select_related(
            "unit", "district"
        )
    )
    labels = group_labels(cells, area_code=area_code, min_n=min_n)
    rows = [
        Row(unit, service, scores, importance)
        for unit, service, scores, importance in Response.objects.filter(
            round=round_, audience=audience
        ).values_list("unit_id", "service_type_id", "scores", "importance")
        if unit in labels
    ]
    # Never the database's order: that follows the time of answering, or the letters.
    random.SystemRandom().shuffle(rows)
    counts = Counter(labels[row.unit] for row in rows)
    if any(n < min_n for n in counts.values()):  # pragma: no cover (a bug in group_labels)
        raise RuntimeError("a group of the anonymised answers is below the smallest group")
    columns = csv_columns(presentation.spec_for(round_, audience), rows, cells, labels)

    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(["level", "group", *(column.name for column in columns)])
    for row in rows:
        level, code = labels[row.unit]
        writer.writerow(
            [
                level,
                code,
                *(_csv_value(column, row.scores, row.importance) for column in columns),
            ]
        )
    return text.getvalue().encode("utf-8-sig")


@dataclass(frozen=True)
class Row:
    """One response as the file sees it: where it was given and what it says."""

    unit: int
    service: int | None
    scores: str
    importance: str


def group_labels(cells: Sequence[ResultCell], *, area_code: str, min_n: int) -> dict[int, Label]:
    """The group each unit's responses are counted in, by unit id; units left out have none.

    See the module's docstring for the rules.
    """
    shown_districts = {
        cell.district.pk: cell.district.code
        for cell in cells
        if cell.level == Level.DISTRICT and cell.district is not None and cell.is_shown
    }
    labels: dict[int, Label] = {}
    hidden: dict[int, list[tuple[int, int]]] = {}  # by district: (unit, responses)
    to_area: list[tuple[int, int]] = []
    for cell in cells:
        if cell.level != Level.UNIT or cell.unit is None:
            continue
        unit = cell.unit
        if cell.suppressed == Suppressed.NO:
            labels[unit.pk] = (Level.UNIT.value, unit.code)
        elif cell.responses and unit.district_id is not None:
            hidden.setdefault(unit.district_id, []).append((unit.pk, cell.responses))
        elif cell.responses:
            to_area.append((unit.pk, cell.responses))
    for district_id, members in hidden.items():
        code = shown_districts.get(district_id)
        if code is not None and sum(responses for _unit, responses in members) >= min_n:
            labels.update({unit: (Level.DISTRICT.value, code) for unit, _n in members})
        else:
            to_area += members
    if sum(responses for _unit, responses in to_area) >= min_n:
        labels.update({unit: (Level.AREA.value, area_code) for unit, _n in to_area})
    return labels


def csv_columns(
    spec: QuestionnaireSpec,
    rows: Sequence[Row],
    cells: Sequence[ResultCell],
    labels: dict[int, Label],
) -> list[CsvColumn]:
    """The scores and importance ratings the file may give (see the module's docstring)."""
    importance_points = spec.importance.points if spec.importance else 0
    atoms: dict[Hashable, int] = dict(Counter((row.unit, row.service) for row in rows))
    district_of = {cell.unit.pk: cell.unit.district_id for cell in cells if cell.unit is not None}
    label_of: dict[Hashable, Label] = {(row.unit, row.service): labels[row.unit] for row in rows}
    groups = [
        disclosure.Cell(("file", label), frozenset(a for a in atoms if label_of[a] == label))
        for label in sorted(set(labels.values()))
    ]
    columns = []
    for statement in spec.statements:
        candidates = [
            CsvColumn(statement.key, statement.key, statement.index, spec.scale.points, False)
        ]
        if statement.importance and importance_points:
            candidates.append(
                CsvColumn(
                    statement.key + CSV_IMPORTANCE,
                    statement.key,
                    statement.index,
                    importance_points,
                    True,
                )
            )
        for column in candidates:
            shown = [
                disclosure.Cell(
                    cell.key, frozenset(a for a in atoms if _holds(cell, a, district_of))
                )
                for cell in cells
                if _shows(cell, column)
            ]
            # Every group of the file with anyone in it must follow from the groups that
            # show this column on the pages; counted by respondents, so that an answer of
            # "vet ikke" is covered too.
            follows = disclosure.derivable(
                [*shown, *groups], atoms, [group.key for group in groups]
            )
            if follows == {group.key for group in groups if group.atoms}:
                columns.append(column)
    return columns


def _shows(cell: ResultCell, column: CsvColumn) -> bool:
    entry = (cell.figures or {}).get("items", {}).get(column.key) if cell.is_shown else None
    if entry is None or "n" not in entry:
        return False
    return "imp" in entry if column.importance else True


def _holds(cell: ResultCell, atom: Hashable, district_of: Mapping[int, int | None]) -> bool:
    """Whether a results group counts the respondents of an atom (unit, service)."""
    unit, service = cast(tuple[int, int | None], atom)
    if cell.level == Level.UNIT:
        return cell.unit_id == unit
    if cell.level == Level.DISTRICT:
        return cell.district_id is not None and cell.district_id == district_of.get(unit)
    if cell.level == Level.SERVICE:
        return cell.service_type_id == service
    return True


def _csv_value(column: CsvColumn, scores: str, importance: str) -> str:
    answer = (importance if column.importance else scores)[column.index : column.index + 1]
    if answer == DONT_KNOW and not column.importance:
        return CSV_DONT_KNOW
    if answer.isdigit() and 1 <= int(answer) <= column.points:
        return answer
    return ""
