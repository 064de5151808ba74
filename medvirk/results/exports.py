"""Results as files to take away: a spreadsheet of every table, and anonymised answers.

``workbook`` writes what the staff pages show, table by table, for everyone who may see the
results; ``anonymised_csv`` writes answers one response a row for the quality advisers'
analysts. Whoever hands a file out records it in the audit log (action
``results.export``): the staff views and the ``export_results`` command do, as they know
who asked and for what; nothing here writes to the database.

The workbook (spreadsheet.py) reads every figure through presentation.py, so it has the
numbers the pages have; numbers are written as numbers with a number format, never as
text. A group or statement that is not shown has a dash ("–") and the reason in words
instead of figures: its figures are not stored (models.py), so there is nothing else to
write. This module chooses what goes into a file and writes the anonymised answers.

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
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from medvirk.surveys.models import Audience, Response
from medvirk.surveys.questionnaire import DONT_KNOW, QuestionnaireSpec

from . import disclosure, presentation, selectors
from .models import Level, ResultCell, ResultSet, Suppressed

# The anonymised answers' codes (see the module's docstring).
CSV_DONT_KNOW = "VI"
CSV_IMPORTANCE = "_imp"

Label = tuple[str, str]  # level, code


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


# --- the anonymised answers ---------------------------------------------------------------


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
