"""Survey rounds and their response rates, as the staff round list counts them."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Router

from medvirk.surveys import selectors
from medvirk.surveys.models import Round

from ..auth import request_key
from ..models import Scope
from ..schemas import AudienceTotalsOut, RoundDetailOut, RoundOut, UnitProgressOut
from . import Id, scoped

router = Router(tags=["rounds"])


def _round_out(round_: Round, totals: selectors.RoundTotals) -> dict[str, object]:
    return {
        "id": round_.pk,
        "name": round_.name,
        "state": round_.state,
        "service_area": round_.service_area.name,
        "opens_at": round_.opens_at,
        "closes_at": round_.closes_at,
        "closed_at": round_.closed_at,
        "invited": totals.invited,
        "responses": totals.responses,
        "response_rate": totals.rate,
        "audiences": [
            AudienceTotalsOut(
                audience=audience,
                invited=found.invited,
                responses=found.responses,
                response_rate=found.rate,
            )
            for audience, found in selectors.totals_by_audience(round_).items()
        ],
    }


@router.get(
    "/rounds",
    operation_id="rounds_list",
    summary="List survey rounds",
    description="Every round of the key's municipality, newest first, with invited and "
    "answered counts and the response rate, for the round and for each audience.",
    **scoped(Scope.ROUNDS_READ, {200: list[RoundOut]}),
)
def rounds_list(request: HttpRequest) -> list[dict[str, object]]:
    key = request_key(request)
    rounds = list(selectors.rounds_of(municipality=key.municipality).order_by("-opens_at", "-pk"))
    totals = selectors.totals_by_round(rounds)
    return [_round_out(round_, totals[round_.pk]) for round_ in rounds]


@router.get(
    "/rounds/{round_id}",
    operation_id="round_get",
    summary="Read one survey round",
    description="The round's counts as in the list, and invited and answered per unit.",
    **scoped(Scope.ROUNDS_READ, {200: RoundDetailOut}),
)
def round_detail(request: HttpRequest, round_id: Id) -> dict[str, object]:
    key = request_key(request)
    round_ = selectors.rounds_of(municipality=key.municipality).filter(pk=round_id).first()
    if round_ is None:
        raise Http404
    found = _round_out(round_, selectors.round_totals(round_))
    found["units"] = [
        UnitProgressOut(
            unit_id=row.unit.pk,
            unit=row.unit.name,
            invited=row.invited,
            responses=row.responses,
            response_rate=row.rate,
        )
        for row in selectors.round_progress(round_=round_)
    ]
    return found
