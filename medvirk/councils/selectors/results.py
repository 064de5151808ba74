"""Survey results in the councils: the unit's figures, those attached to an item, and
how an improvement action's statements moved."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from medvirk.results import presentation
from medvirk.results import selectors as results_selectors
from medvirk.results.models import Level, ResultCell, ResultSet
from medvirk.results.presentation import StatementRow
from medvirk.surveys.models import Audience, Round

from ..models import AgendaItem, Council, ImprovementAction

SHOWN_STATES = (ResultSet.State.READY, ResultSet.State.PUBLISHED)


def _result_states(user: Any, council: Council) -> tuple[str, ...]:
    """Council members see published results here; those who run the council also results
    that are ready but not yet published (to prepare the meeting about them)."""
    if user.has_perm("councils.manage_council", council):
        return tuple(SHOWN_STATES)
    return (ResultSet.State.PUBLISHED,)


@dataclass
class UnitResults:
    round: Round
    result_set: ResultSet
    cells: list[ResultCell]


def unit_cells(*, user: Any, council: Council) -> list[ResultCell]:
    """The unit's own groups in every round with results the user may see, newest first."""
    cells = (
        ResultCell.objects.filter(
            level=Level.UNIT,
            unit=council.unit,
            result_set__state__in=_result_states(user, council),
            result_set__round__municipality_id=council.municipality_id,
        )
        .select_related("result_set__round__questionnaire", "unit")
        .order_by("-result_set__round__opens_at", "result_set_id")
    )
    # Users before relatives within a round, as on the results pages.
    ordered = sorted(cells, key=lambda c: (c.result_set_id, c.audience != Audience.USERS))
    newest = {c.result_set_id: c.result_set.round.opens_at for c in ordered}
    ordered.sort(key=lambda c: newest[c.result_set_id], reverse=True)
    return [cell for cell in ordered if user.has_perm("results.view_cell", cell)]


def unit_results(*, user: Any, council: Council) -> list[UnitResults]:
    grouped: dict[int, UnitResults] = {}
    for cell in unit_cells(user=user, council=council):
        result_set = cell.result_set
        grouped.setdefault(
            result_set.pk, UnitResults(result_set.round, result_set, [])
        ).cells.append(cell)
    return list(grouped.values())


def attachable_cell_get(*, user: Any, council: Council, pk: int) -> ResultCell:
    for cell in unit_cells(user=user, council=council):
        if cell.pk == pk:
            return cell
    raise Http404


def results_cell(round_: Round, audience: str, key: str) -> ResultCell | None:
    return (
        ResultCell.objects.filter(result_set__round=round_, audience=audience, key=key)
        .select_related("result_set__round__questionnaire", "unit")
        .first()
    )


@dataclass
class ItemFigures:
    """The chosen statements' figures of the group an agenda item carries."""

    round: Round
    cell: ResultCell | None
    rows: list[StatementRow]
    compare_name: str = ""

    @property
    def shown(self) -> bool:
        return self.cell is not None and self.cell.is_shown

    @property
    def group_name(self) -> str:
        if self.cell is None:
            return ""
        return f"{self.cell.name} ({self.cell.get_audience_display()})"


def item_figures(item: AgendaItem, *, public: bool = False) -> ItemFigures | None:
    """``public``: only figures of published results (the public minutes show no others)."""
    if item.results_round is None:
        return None
    cell = results_cell(item.results_round, item.results_audience, item.results_key)
    if public and cell is not None and cell.result_set.state != ResultSet.State.PUBLISHED:
        cell = None
    if cell is None or not cell.is_shown:
        return ItemFigures(item.results_round, cell, [])
    area = results_selectors.area_cell(cell.result_set, cell.audience)
    view = presentation.cell_view(cell, compare=area)
    wanted = set(item.statement_keys)
    return ItemFigures(
        item.results_round,
        cell,
        [row for row in view.rows if row.key in wanted],
        compare_name=view.compare_name,
    )


@dataclass
class StatementMove:
    number: int
    key: str
    text: str
    before: str = "–"
    after: str = "–"
    change: str = ""
    significant: bool = False
    note: str = ""


@dataclass
class Movement:
    """How an action's statements moved from its round to the next one compared with it."""

    baseline: Round | None
    later: Round | None
    rows: list[StatementMove]
    note: str = ""


def _later_round(action: ImprovementAction) -> Round | None:
    later = (
        ResultSet.objects.filter(
            compared_with=action.round,
            state__in=SHOWN_STATES,
            round__municipality_id=action.unit.municipality_id,
        )
        .select_related("round")
        .order_by("round__opens_at")
        .first()
    )
    return later.round if later is not None else None


def action_movement(action: ImprovementAction) -> Movement:
    baseline = action.round
    if baseline is None or not action.statement_keys:
        return Movement(None, None, [])
    key = f"unit-{action.unit_id}"
    spec = presentation.spec_for(baseline, action.audience)
    before_cell = results_cell(baseline, action.audience, key)
    before = _rows(before_cell)
    later = _later_round(action)
    after_cell = results_cell(later, action.audience, key) if later is not None else None
    after = _rows(after_cell)
    language_rows = {s.key: s for s in spec.statements}
    rows: list[StatementMove] = []
    for statement_key in action.statement_keys:
        statement = language_rows.get(statement_key)
        if statement is None:
            continue
        old, new = before.get(statement_key), after.get(statement_key)
        move = StatementMove(
            number=statement.number,
            key=statement_key,
            text=statement.text.get(get_language() or "nb"),
            before=old.mean_text if old and old.summary else "–",
            after=new.mean_text if new and new.summary else "–",
        )
        if new is not None and new.change:
            move.change = new.change_text
            move.significant = new.change_significant
        elif later is not None:
            move.note = _("No comparison: too few answers in one of the rounds.")
        rows.append(move)
    note = ""
    if later is None:
        note = _("No later survey has results compared with %(round)s yet.") % {
            "round": baseline.name
        }
    elif after_cell is None or not after_cell.is_shown:
        note = _("The unit's results in %(round)s are hidden: too few answered.") % {
            "round": later.name
        }
    return Movement(baseline, later, rows, note)


def _rows(cell: ResultCell | None) -> dict[str, StatementRow]:
    if cell is None or not cell.is_shown:
        return {}
    return {row.key: row for row in presentation.cell_view(cell).rows}


def statement_choices(council: Council) -> list[tuple[str, list[tuple[str, str]]]]:
    """Statements an action can be linked to, grouped by respondents, as ``aud:key`` values:
    those of the questionnaires of the rounds the unit has results in."""
    rounds = (
        Round.objects.filter(
            result_set__state__in=SHOWN_STATES,
            round_units__unit=council.unit,
            municipality_id=council.municipality_id,
        )
        .select_related("questionnaire", "relatives_questionnaire")
        .order_by("-opens_at")
    )
    groups: dict[str, dict[str, str]] = {}
    titles: dict[str, str] = {}
    language = get_language() or "nb"
    for round_ in rounds:
        for audience in (Audience.USERS, Audience.RELATIVES):
            questionnaire = round_.questionnaire_for(is_relative=audience == Audience.RELATIVES)
            if audience == Audience.RELATIVES and round_.relatives_questionnaire_id is None:
                continue
            spec = questionnaire.spec
            titles.setdefault(audience, f"{Audience(audience).label}: {spec.title.get(language)}")
            for statement in spec.statements:
                groups.setdefault(audience, {}).setdefault(
                    f"{audience}:{statement.key}",
                    f"{statement.number}. {statement.text.get(language)}",
                )
    return [
        (titles[a], list(groups[a].items()))
        for a in (Audience.USERS, Audience.RELATIVES)
        if a in groups
    ]


def rounds_for_actions(council: Council) -> QuerySet[Round]:
    return (
        Round.objects.filter(
            result_set__state__in=SHOWN_STATES,
            round_units__unit=council.unit,
            municipality_id=council.municipality_id,
        )
        .distinct()
        .order_by("-opens_at")
    )
