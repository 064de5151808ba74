"""Stored results as people read them: rows of figures, charts and the heat map.

The staff pages, the public pages, the PDF reports and the spreadsheet all show results
through this module, so a figure reads the same everywhere. It works only on what a
``ResultCell`` holds, which is only what may be shown (see models.py); a suppressed group
or statement comes out as a row that says so and has no numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from medvirk.surveys.models import Audience, Round
from medvirk.surveys.questionnaire import QuestionnaireSpec

from . import analysis, charts, compute
from .models import Level, ResultCell, ResultSet, Suppressed


def decimal_mark() -> str:
    return "." if (get_language() or "nb").startswith("en") else ","


def number(value: float | None, decimals: int = 1, *, signed: bool = False) -> str:
    if value is None:
        return "–"
    return charts.format_number(value, decimals, decimal_mark(), signed=signed)


def percent(share: float | None) -> str:
    if share is None:
        return "–"
    return charts.format_percent(share)


def suppressed_reason(state: str) -> str:
    if state == Suppressed.PRIMARY:
        return _("Too few answers to show without revealing anyone's answers.")
    return _("Hidden so that a small group's answers cannot be worked out from the others.")


@dataclass
class StatementRow:
    number: int
    key: str
    text: str
    section: str
    suppressed: str = ""  # "", "primary", "secondary"
    summary: analysis.ItemSummary | None = None
    change: dict[str, Any] | None = None
    compare: float | None = None  # the same statement's mean for the comparison group

    @property
    def mean(self) -> float | None:
        return self.summary.score.mean if self.summary else None

    @property
    def n(self) -> int | None:
        return self.summary.score.n if self.summary else None

    @property
    def reason(self) -> str:
        return suppressed_reason(self.suppressed) if self.suppressed else ""

    # Formatted for templates.
    @property
    def mean_text(self) -> str:
        return number(self.mean, 2)

    @property
    def interval_text(self) -> str:
        score = self.summary.score if self.summary else None
        if score is None or score.low is None or score.high is None:
            return "–"
        return f"{number(score.low, 2)}–{number(score.high, 2)}"

    @property
    def sd_text(self) -> str:
        return number(self.summary.score.sd if self.summary else None, 2)

    @property
    def agree_text(self) -> str:
        return percent(self.summary.agree if self.summary else None)

    @property
    def dont_know_text(self) -> str:
        return percent(self.summary.dont_know if self.summary else None)

    @property
    def importance_text(self) -> str:
        importance = self.summary.importance if self.summary else None
        return number(importance.mean if importance else None, 2)

    @property
    def gap_text(self) -> str:
        return number(self.summary.gap if self.summary else None, 2, signed=True)

    @property
    def change_text(self) -> str:
        return number(self.change["diff"] if self.change else None, 2, signed=True)

    @property
    def change_significant(self) -> bool:
        return bool(self.change and self.change["significant"])

    @property
    def compare_text(self) -> str:
        return number(self.compare, 2)

    @property
    def distribution_texts(self) -> list[str]:
        if not self.summary or not self.summary.score.n:
            return []
        return [percent(share) for share in self.summary.distribution]


@dataclass
class SectionRow:
    key: str
    title: str
    suppressed: str = ""
    index: analysis.Estimate | None = None
    change: dict[str, Any] | None = None

    @property
    def index_text(self) -> str:
        return number(self.index.mean if self.index else None, 2)

    @property
    def interval_text(self) -> str:
        if self.index is None or self.index.low is None or self.index.high is None:
            return "–"
        return f"{number(self.index.low, 2)}–{number(self.index.high, 2)}"

    @property
    def change_text(self) -> str:
        return number(self.change["diff"] if self.change else None, 2, signed=True)

    @property
    def reason(self) -> str:
        return suppressed_reason(self.suppressed) if self.suppressed else ""


@dataclass
class CellView:
    cell: ResultCell
    spec: QuestionnaireSpec
    rows: list[StatementRow] = field(default_factory=list)
    sections: list[SectionRow] = field(default_factory=list)
    ipa: analysis.Ipa | None = None
    compare_name: str = ""

    @property
    def shown(self) -> bool:
        return self.cell.is_shown

    @property
    def rate_text(self) -> str:
        if not self.cell.invited:
            return "–"
        return percent(self.cell.responses / self.cell.invited)

    @property
    def reason(self) -> str:
        if self.cell.suppressed:
            return suppressed_reason(self.cell.suppressed)
        return _("Nobody in this group answered.") if not self.cell.responses else ""

    @property
    def concentrate_rows(self) -> list[tuple[StatementRow, analysis.ConcentrateItem]]:
        if self.ipa is None:
            return []
        by_key = {row.key: row for row in self.rows}
        return [(by_key[item.key], item) for item in self.ipa.concentrate_here]

    @property
    def point_labels(self) -> list[str]:
        return [label.get(get_language() or "nb") for label in self.spec.scale.labels]


def changes_shown(cell: ResultCell, *, public: bool) -> dict[str, Any]:
    """The group's changes since the round it is compared with, where its reader may see that
    round's figures: on the public pages, only if that round is published; on the staff pages
    (and the files staff take from them), only once it has closed.

    A change with this round's figure gives the other round's figure (and, from its interval,
    its spread), so a change is never a way to a round its reader may not see: one never
    published, or withdrawn, shows through no public change. Where either round hides a
    statement for the group, no change was stored for it at all (compute.py).
    """
    state = cell.result_set.comparison_state
    visible = (
        state == ResultSet.State.PUBLISHED
        if public
        else state not in ("", ResultSet.State.PRELIMINARY)
    )
    return dict((cell.figures or {}).get("change", {})) if visible else {}


def spec_for(round_: Round, audience: str) -> QuestionnaireSpec:
    return round_.questionnaire_for(is_relative=audience == Audience.RELATIVES).spec


def cell_view(
    cell: ResultCell, *, compare: ResultCell | None = None, public: bool = False
) -> CellView:
    """One group's figures, statement by statement, with the comparison group's means;
    ``public`` for the public pages (see ``changes_shown``)."""
    spec = spec_for(cell.result_set.round, cell.audience)
    language = get_language() or "nb"
    view = CellView(cell=cell, spec=spec)
    if compare is not None and compare.pk != cell.pk:
        view.compare_name = compare.name
    figures = cell.figures or {}
    items = figures.get("items", {})
    changes = changes_shown(cell, public=public)
    compare_items = (compare.figures or {}).get("items", {}) if compare is not None else {}
    agree_from = spec.scale.agree_from()
    for section in spec.sections:
        for statement in section.statements:
            row = StatementRow(
                number=statement.number,
                key=statement.key,
                text=statement.text.get(language),
                section=section.title.get(language),
            )
            entry = items.get(statement.key)
            if not cell.is_shown:
                row.suppressed = cell.suppressed
            elif entry is None or "suppressed" in entry:
                row.suppressed = (entry or {}).get("suppressed", Suppressed.PRIMARY)
            else:
                row.summary = analysis.summarise(compute.item_stats(entry), agree_from=agree_from)
                row.change = changes.get(statement.key)
                other = compare_items.get(statement.key)
                if other and "n" in other and other["n"]:
                    row.compare = other["total"] / other["n"]
            view.rows.append(row)
        if section.statements:
            entry = figures.get("sections", {}).get(section.key)
            section_row = SectionRow(key=section.key, title=section.title.get(language))
            if not cell.is_shown:
                section_row.suppressed = cell.suppressed
            elif entry is None or "suppressed" in entry:
                section_row.suppressed = (entry or {}).get("suppressed", Suppressed.PRIMARY)
            else:
                section_row.index = compute.section_estimate(entry)
                section_row.change = changes.get("section:" + section.key)
            view.sections.append(section_row)
    view.ipa = _ipa(view.rows)
    return view


def _ipa(rows: Iterable[StatementRow]) -> analysis.Ipa | None:
    items = [
        analysis.IpaInput(row.key, row.summary.importance, row.summary.score)
        for row in rows
        if row.summary is not None and row.summary.importance is not None
    ]
    found = analysis.ipa(items)
    return found if found.points else None


# --- charts -------------------------------------------------------------------------------


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def distribution_chart(view: CellView, *, id_prefix: str, width: int = 720) -> str:
    rows = [
        charts.DistributionRow(
            number=str(row.number),
            text=_short(row.text),
            shares=list(row.summary.distribution)
            if row.summary is not None and row.summary.score.n
            else None,
            dont_know=row.summary.dont_know if row.summary is not None else None,
        )
        for row in view.rows
    ]
    return charts.distribution_bars(
        rows,
        point_labels=view.point_labels,
        dont_know_label=_("Don't know"),
        title=_("How the answers were spread, statement by statement"),
        description=_(
            "For each statement, the share of answers at each point of the scale, from 1 "
            "(disagree) to the top (agree), and the share who answered “don't know”. The "
            "same figures are in the table."
        ),
        suppressed_text=_("not shown"),
        id_prefix=id_prefix,
        width=width,
    )


def means_chart(view: CellView, *, id_prefix: str, width: int = 720) -> str:
    rows = [
        charts.MeanRow(
            number=str(row.number),
            text=_short(row.text),
            mean=row.mean,
            low=row.summary.score.low if row.summary else None,
            high=row.summary.score.high if row.summary else None,
            comparison=row.compare,
        )
        for row in view.rows
    ]
    return charts.means_with_ci(
        rows,
        scale_min=1,
        scale_max=view.spec.scale.points,
        title=_("Average score per statement, with its 95 % interval"),
        description=_(
            # Translators: xgettext:no-python-format
            "A dot for each statement's average, a line for the range it lies in with 95 % "
            "certainty, and a diamond for the comparison. The same figures are in the table."
        ),
        comparison_label=view.compare_name or _("Comparison"),
        mean_label=_("Average, with 95 % interval"),
        suppressed_text=_("not shown"),
        id_prefix=id_prefix,
        width=width,
    )


def ipa_chart(view: CellView, *, id_prefix: str, width: int = 720) -> str:
    found = view.ipa
    if found is None or found.centre_x is None or found.centre_y is None:
        return ""
    numbers = {row.key: str(row.number) for row in view.rows}
    texts = {row.key: row.text for row in view.rows}
    points = [
        charts.IpaPoint(numbers[p.key], p.importance, p.performance, texts[p.key])
        for p in found.points
    ]
    low = min(min(p.importance for p in points), min(p.performance for p in points))
    high = max(max(p.importance for p in points), max(p.performance for p in points))
    span = (max(1.0, low - 0.25), min(float(view.spec.scale.points), high + 0.25))
    return charts.ipa_scatter(
        points,
        centre_x=found.centre_x,
        centre_y=found.centre_y,
        x_domain=span,
        y_domain=span,
        quadrant_labels={
            "concentrate": _("Concentrate here"),
            "keep_up": _("Keep up the good work"),
            "low_priority": _("Low priority"),
            "overkill": _("Possible overkill"),
        },
        x_label=_("How important (average)"),
        y_label=_("How good (average score)"),
        diagonal_label=_("Equal priority"),
        title=_("Importance and performance of each statement"),
        description=_(
            "Each number is a statement, placed by how important respondents found it and "
            "how well they scored it. The dashed lines cross at the averages of all "
            "statements; statements to the lower right matter more than they score. They "
            "are listed below the chart with their intervals."
        ),
        id_prefix=id_prefix,
        width=width,
    )


def change_chart(view: CellView, *, id_prefix: str, width: int = 720) -> str:
    if not any(row.change for row in view.rows):
        return ""
    rows = [
        charts.ChangeRow(
            number=str(row.number),
            text=_short(row.text),
            change=row.change["diff"] if row.change else None,
            low=row.change["low"] if row.change else None,
            high=row.change["high"] if row.change else None,
        )
        for row in view.rows
    ]
    return charts.change_bars(
        rows,
        title=_("Change since the previous round"),
        description=_(
            "For each statement, how much the average moved since the round compared with, "
            "with its 95 % interval. The same figures are in the table."
        ),
        significant_label=_("* the interval does not include zero: a real change"),
        suppressed_text=_("no comparison"),
        id_prefix=id_prefix,
        width=width,
    )


# --- the heat map ---------------------------------------------------------------------


@dataclass
class HeatCell:
    key: str
    value: float | None
    text: str
    suppressed: str = ""
    significant: bool = False
    shade: int = 0  # 0 (none) … 5, for the background; the number is always written


@dataclass
class HeatRow:
    cell: ResultCell
    values: list[HeatCell]
    sort_value: float | None = None


@dataclass
class HeatMap:
    statements: list[tuple[int, str, str]]  # number, key, text
    rows: list[HeatRow]
    view: str  # "score" or "change"


def heat_map(
    result_set: ResultSet,
    audience: str,
    cells: Sequence[ResultCell],
    *,
    view: str = "score",
    sort: str = "",
    public: bool = False,
) -> HeatMap:
    """Groups × statements: the average score, or its change, with suppressed cells marked."""
    spec = spec_for(result_set.round, audience)
    language = get_language() or "nb"
    statements = [(s.number, s.key, s.text.get(language)) for s in spec.statements]
    rows = []
    for cell in cells:
        items = (cell.figures or {}).get("items", {})
        changes = changes_shown(cell, public=public)
        values = []
        for _number, key, _text in statements:
            entry = items.get(key)
            if not cell.is_shown or entry is None or "suppressed" in entry:
                state = cell.suppressed or (entry or {}).get("suppressed", Suppressed.PRIMARY)
                values.append(HeatCell(key, None, "–", suppressed=state))
            elif view == "change":
                change = changes.get(key)
                diff = change["diff"] if change else None
                shade = 0 if diff is None else max(-5, min(5, round(diff / 0.1)))
                values.append(
                    HeatCell(
                        key,
                        diff,
                        number(diff, 2, signed=True),
                        significant=bool(change and change["significant"]),
                        shade=shade,
                    )
                )
            else:
                mean = entry["total"] / entry["n"] if entry["n"] else None
                values.append(HeatCell(key, mean, number(mean, 1)))
        rows.append(HeatRow(cell, values))
    if view != "change":
        _shade_by_rank(rows)
    if sort and sort in {key for _n, key, _t in statements}:
        position = [key for _n, key, _t in statements].index(sort)
        for row in rows:
            row.sort_value = row.values[position].value
        rows.sort(key=lambda r: (r.sort_value is None, -(r.sort_value or 0), r.cell.name))
    elif sort == "responses":
        rows.sort(key=lambda r: (-r.cell.responses, r.cell.name))
    return HeatMap(statements, rows, view)


def _shade_by_rank(rows: Sequence[HeatRow]) -> None:
    """Shade scores 1–5 by where they fall among this table's own scores (fifths).

    Scores of a round crowd into a narrow band (3.5–4.3, say); shades of the whole scale
    would all look alike. The number is written in every cell either way.
    """
    values = sorted(v.value for row in rows for v in row.values if v.value is not None)
    if not values:
        return
    cuts = [values[min(len(values) - 1, len(values) * k // 5)] for k in (1, 2, 3, 4)]
    for row in rows:
        for value in row.values:
            if value.value is not None:
                value.shade = 1 + sum(value.value >= cut for cut in cuts)


LEVEL_ORDER: dict[str, int] = {Level.AREA: 0, Level.DISTRICT: 1, Level.UNIT: 2, Level.SERVICE: 3}


def ordered(cells: Iterable[ResultCell]) -> list[ResultCell]:
    return sorted(cells, key=lambda c: (LEVEL_ORDER.get(c.level, 9), c.name))
