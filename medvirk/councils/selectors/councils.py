"""The councils and meetings a user may see, found by id only inside that scope, and
the municipality's settings for them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from medvirk.organisation.models import Municipality, Unit
from medvirk.organisation.rules import role_set

from ..models import (
    AgendaItem,
    Council,
    CouncilSettings,
    ImprovementAction,
    Meeting,
    MeetingPlan,
    Membership,
)
from ..rules import read_scope, run_scope


def settings_for(municipality: Municipality) -> CouncilSettings:
    """The municipality's council settings (made with the municipality, see
    services.council_settings_create)."""
    return CouncilSettings.objects.get(municipality=municipality)


def councils_visible(*, user: Any, municipality: Municipality) -> QuerySet[Council]:
    scope = read_scope(role_set(user, municipality.pk))
    if scope.is_empty:
        return Council.objects.none()
    return (
        Council.objects.filter(unit__service_area__municipality=municipality)
        .filter(scope.units_filter("unit__"))
        .select_related("unit__service_area", "unit__district")
        .order_by("unit__name")
    )


def council_get(*, user: Any, municipality: Municipality, pk: int) -> Council:
    found = councils_visible(user=user, municipality=municipality).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def units_without_council(*, user: Any, municipality: Municipality) -> QuerySet[Unit]:
    """Active units the user runs councils for, that have no council yet."""
    units = Unit.objects.filter(
        service_area__municipality=municipality, is_active=True, council__isnull=True
    ).select_related("service_area", "district")
    return units.filter(run_scope(role_set(user, municipality.pk)).units_filter()).order_by("name")


def meetings_visible(*, user: Any, municipality: Municipality) -> QuerySet[Meeting]:
    """Meetings of the councils the user reads, and for politicians the dialogue meetings."""
    roles = role_set(user, municipality.pk)
    meetings = Meeting.objects.filter(
        council__unit__service_area__municipality=municipality
    ).select_related("council__unit__service_area", "council__unit__district", "plan")
    scope = read_scope(roles)
    visible = (
        Q(pk__in=[])
        if scope.is_empty
        else Q(council__in=Council.objects.filter(scope.units_filter("unit__")))
    )
    if roles.is_politician:
        visible |= Q(kind=Meeting.Kind.DIALOGUE)
    if scope.is_empty and not roles.is_politician:
        return meetings.none()
    return meetings.filter(visible)


def meeting_get(*, user: Any, municipality: Municipality, pk: int) -> Meeting:
    found = meetings_visible(user=user, municipality=municipality).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def dialogue_meetings(*, user: Any, municipality: Municipality) -> QuerySet[Meeting]:
    return (
        meetings_visible(user=user, municipality=municipality)
        .filter(kind=Meeting.Kind.DIALOGUE)
        .exclude(state=Meeting.State.CANCELLED)
        .order_by("-starts_at")
    )


def plan_get(*, council: Council, year: int) -> MeetingPlan:
    found = MeetingPlan.objects.filter(council=council, year=year).first()
    if found is None:
        raise Http404
    return found


def item_get(*, meeting: Meeting, pk: int) -> AgendaItem:
    found = meeting.items.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def membership_get(*, council: Council, pk: int) -> Membership:
    found = council.memberships.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def actions_of(council: Council) -> QuerySet[ImprovementAction]:
    return ImprovementAction.objects.filter(unit=council.unit).select_related(
        "round", "advice_item"
    )


def action_get(*, council: Council, pk: int) -> ImprovementAction:
    found = actions_of(council).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
