"""Published results: exactly the groups and figures the public results pages show.

Everything comes from the stored cells through the same steps as the public pages
(``results.selectors.published`` and ``published_cells``, ``public_views.is_public`` and
``presentation.cell_view(public=True)``), so the API shows nothing the pages do not: a
group that is not shown has its name, its responses and why, and no figures; a statement
hidden for a shown group is marked suppressed, with no numbers. Numbers are rounded as the
pages print them.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from medvirk.results import charts, presentation, public_views, selectors
from medvirk.results.charts.style import MINUS, NBSP
from medvirk.results.models import Level, ResultCell
from medvirk.surveys.models import Audience

from ..auth import request_key
from ..models import Scope
from ..schemas import (
    FiguresOut,
    GroupOut,
    PublishedOut,
    ResultOut,
    SectionOut,
    StatementOut,
)
from . import Id, scoped

router = Router(tags=["results"])


def _printed(value: float | None, decimals: int = 2) -> float | None:
    """The number as the pages print it (their rounding), as a number."""
    if value is None:
        return None
    return float(charts.format_number(value, decimals, ".").replace(MINUS, "-"))


def _percent(share: float | None) -> int | None:
    if share is None:
        return None
    return int(charts.format_percent(share).split(NBSP)[0])


@router.get(
    "/results",
    operation_id="results_list",
    summary="List published results",
    description="The rounds of the key's municipality whose results are published.",
    **scoped(Scope.RESULTS_READ, {200: list[PublishedOut]}),
)
def results_list(request: HttpRequest) -> list[PublishedOut]:
    key = request_key(request)
    return [
        PublishedOut(
            round_id=found.round_id,
            round_name=found.round.name,
            service_area=found.round.service_area.name,
            opens_at=found.round.opens_at,
            closes_at=found.round.closes_at,
            computed_at=found.computed_at,
            published_at=found.published_at,
            responses=found.responses,
            min_n=found.min_n,
            audiences=[value for value, _label in public_views.audiences(found.round)],
        )
        for found in selectors.published(municipality=key.municipality)
    ]


@router.get(
    "/results/{round_id}",
    operation_id="result_get",
    summary="Read a round's published results",
    description="Every group of one audience (the whole service area, districts, units, "
    "services) as the public results pages show it.",
    **scoped(Scope.RESULTS_READ, {200: ResultOut}),
)
def result_detail(
    request: HttpRequest, round_id: Id, audience: Query[Audience] = Audience.USERS
) -> ResultOut:
    key = request_key(request)
    result_set = selectors.published_get(municipality=key.municipality, round_pk=round_id)
    if audience.value not in dict(public_views.audiences(result_set.round)):
        raise Http404
    cells = selectors.published_cells(result_set=result_set, audience=audience.value)
    districts = {c.district_id: c.name for c in cells if c.level == Level.DISTRICT}
    return ResultOut(
        round_id=result_set.round_id,
        round_name=result_set.round.name,
        audience=audience.value,
        min_n=result_set.min_n,
        groups=[_group(cell, districts) for cell in cells],
    )


def _group(cell: ResultCell, districts: dict[Any, str]) -> GroupOut:
    shown = public_views.is_public(cell)
    return GroupOut(
        key=cell.key,
        level=cell.level,
        name=cell.name,
        district=districts.get(cell.district_id) if cell.level == Level.UNIT else None,
        responses=cell.responses,
        response_rate_percent=_percent(cell.responses / cell.invited) if cell.invited else None,
        shown=shown,
        reason="" if shown else public_views.not_shown_reason(cell),
        figures=_figures(cell) if shown else None,
    )


def _figures(cell: ResultCell) -> FiguresOut:
    view = presentation.cell_view(cell, public=True)
    return FiguresOut(
        invited=cell.invited,
        sections=[
            SectionOut(key=row.key, title=row.title, suppressed=True, reason=row.reason)
            if row.suppressed
            else SectionOut(
                key=row.key,
                title=row.title,
                suppressed=False,
                reason="",
                index=_printed(row.index.mean if row.index else None),
                interval_low=_printed(row.index.low if row.index else None),
                interval_high=_printed(row.index.high if row.index else None),
                change=_printed(row.change["diff"] if row.change else None),
            )
            for row in view.sections
        ],
        statements=[_statement(row) for row in view.rows],
    )


def _statement(row: presentation.StatementRow) -> StatementOut:
    hidden = StatementOut(
        number=row.number,
        key=row.key,
        text=row.text,
        section=row.section,
        suppressed=True,
        reason=row.reason or _("Not shown."),
    )
    if row.suppressed or row.summary is None:
        return hidden
    summary = row.summary
    return hidden.model_copy(
        update={
            "suppressed": False,
            "reason": "",
            "n": summary.score.n,
            "mean": _printed(summary.score.mean),
            "interval_low": _printed(summary.score.low),
            "interval_high": _printed(summary.score.high),
            "agree_percent": _percent(summary.agree),
            "dont_know_percent": _percent(summary.dont_know),
            "importance": _printed(summary.importance.mean if summary.importance else None),
            "change": _printed(row.change["diff"] if row.change else None),
            "change_significant": bool(row.change["significant"]) if row.change else None,
        }
    )
