"""Reads of results, scoped to the municipality and to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from medvirk.organisation.models import Municipality
from medvirk.organisation.rules import role_set
from medvirk.surveys.models import Round

from . import presentation, rules
from .models import CommentReview, Level, ResultCell, ResultSet


def rounds_with_results(*, user: Any, municipality: Municipality) -> QuerySet[Round]:
    """Rounds whose results the user may open on the staff pages (or compute)."""
    roles = role_set(user, municipality.pk)
    rounds = Round.objects.filter(municipality=municipality).exclude(state=Round.State.DRAFT)
    rounds = rounds.select_related("service_area", "questionnaire").order_by("-opens_at")
    if roles.is_admin:
        return rounds
    followed = roles.units(*rules.FOLLOWERS)
    return rounds.filter(
        Q(service_area_id__in=roles.quality_adviser_areas)
        | (
            Q(round_units__unit_id__in=followed)
            & Q(result_set__isnull=False)
            & ~Q(result_set__state=ResultSet.State.PRELIMINARY)
        )
    ).distinct()


def round_get(*, user: Any, municipality: Municipality, pk: int) -> Round:
    found = rounds_with_results(user=user, municipality=municipality).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def cells_visible(*, user: Any, result_set: ResultSet, audience: str) -> list[ResultCell]:
    """The groups of one audience the user may see, areas first, then districts, units."""
    from .presentation import ordered

    cells = ResultCell.objects.filter(result_set=result_set, audience=audience).select_related(
        "result_set__round", "unit", "district", "service_type"
    )
    round_ = result_set.round
    if not user.has_perm("results.run", round_):
        units = rules.followed_units(user, round_)
        cells = cells.filter(~Q(level=Level.UNIT) | Q(unit_id__in=units))
    return ordered(cells)


def cell_get(*, user: Any, result_set: ResultSet, audience: str, key: str) -> ResultCell:
    cell = (
        ResultCell.objects.filter(result_set=result_set, audience=audience, key=key)
        .select_related("result_set__round", "unit", "district", "service_type")
        .first()
    )
    if cell is None or not user.has_perm("results.view_cell", cell):
        raise Http404
    return cell


def area_cell(result_set: ResultSet, audience: str) -> ResultCell | None:
    return ResultCell.objects.filter(result_set=result_set, audience=audience, key="area").first()


def published(*, municipality: Municipality) -> QuerySet[ResultSet]:
    return (
        ResultSet.objects.filter(round__municipality=municipality, state=ResultSet.State.PUBLISHED)
        .select_related("round", "round__service_area")
        .order_by("-round__opens_at")
    )


def published_get(*, municipality: Municipality, round_pk: int) -> ResultSet:
    found = published(municipality=municipality).filter(round_id=round_pk).first()
    if found is None:
        raise Http404
    return found


def published_cells(*, result_set: ResultSet, audience: str) -> list[ResultCell]:
    """A published round's groups for one audience, in the order the public pages list
    them. Only the stored cells: a suppressed group's cell holds no figures."""
    if result_set.state != ResultSet.State.PUBLISHED:
        raise Http404
    cells = presentation.ordered(
        ResultCell.objects.filter(result_set=result_set, audience=audience).select_related(
            "district"
        )
    )
    for found in cells:
        found.result_set = result_set
    return cells


def comments_shown(cell: ResultCell) -> list[CommentReview]:
    """Approved comments of a group that is shown: its unit's, or its shown units' together.

    Only comments from units whose own results are shown appear anywhere: were a hidden
    unit's comments shown for its district, the district's list less its other units'
    lists would be that small unit's comments.
    """
    if not cell.is_shown or cell.level == Level.SERVICE:
        return []
    shown_units = ResultCell.objects.filter(
        result_set=cell.result_set, audience=cell.audience, level=Level.UNIT, suppressed=""
    ).values_list("unit_id", flat=True)
    reviews = CommentReview.objects.filter(
        round=cell.result_set.round,
        audience=cell.audience,
        state__in=[CommentReview.State.APPROVED, CommentReview.State.REDACTED],
        unit_id__in=list(shown_units),
    )
    if cell.level == Level.UNIT and cell.unit_id is not None:
        reviews = reviews.filter(unit_id=cell.unit_id)
    elif cell.level == Level.DISTRICT and cell.district_id is not None:
        reviews = reviews.filter(unit__district_id=cell.district_id)
    return list(reviews.order_by("shown_text"))
