"""Reads of the organisation, already scoped to one municipality and to what a user may see.

Views never query a model by an id from the request directly: they ask here, and an id
outside the user's scope is simply not found.
"""

from __future__ import annotations

import time as clock
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .models import (
    AuditEntry,
    District,
    Municipality,
    RoleAssignment,
    ServiceArea,
    ServiceType,
    Unit,
    User,
)
from .rules import role_set, visible_units_filter

# Every request asks which municipality it belongs to; the answer is kept for a few seconds
# per process. Services that change a municipality clear it (other processes catch up
# within HOST_CACHE_SECONDS).
HOST_CACHE_SECONDS = 5.0
_host_cache: dict[tuple[str, str], tuple[float, Municipality | None]] = {}


def clear_host_cache() -> None:
    _host_cache.clear()


def municipality_for_host(host: str, *, default_slug: str = "") -> Municipality | None:
    """The municipality a request's host name belongs to.

    An exact host match wins; otherwise the configured default; otherwise the only
    municipality of a single-municipality installation.
    """
    key = (host, default_slug)
    now = clock.monotonic()
    cached = _host_cache.get(key)
    if cached is not None and cached[0] > now:
        return cached[1]
    found = _municipality_for_host(host, default_slug=default_slug)
    if len(_host_cache) > 1000:
        _host_cache.clear()
    _host_cache[key] = (now + HOST_CACHE_SECONDS, found)
    return found


def _municipality_for_host(host: str, *, default_slug: str) -> Municipality | None:
    host = host.split(":", 1)[0].strip().lower()
    if host:
        match = Municipality.objects.filter(host=host).first()
        if match is not None:
            return match
    if default_slug:
        return Municipality.objects.filter(slug=default_slug).first()
    first_two = list(Municipality.objects.all()[:2])
    return first_two[0] if len(first_two) == 1 else None


def units_visible(*, user: Any, municipality: Municipality) -> QuerySet[Unit]:
    roles = role_set(user, municipality.pk)
    if not roles.is_staff_member:
        return Unit.objects.none()
    return (
        Unit.objects.filter(service_area__municipality=municipality)
        .filter(visible_units_filter(roles))
        .select_related("service_area", "district")
    )


def unit_get_visible(*, user: Any, municipality: Municipality, pk: int) -> Unit:
    """A unit the user may see, or 404: another unit's id in the URL is not found."""
    unit = units_visible(user=user, municipality=municipality).filter(pk=pk).first()
    if unit is None:
        raise Http404
    return unit


def service_areas(*, municipality: Municipality) -> QuerySet[ServiceArea]:
    return ServiceArea.objects.filter(municipality=municipality)


def districts(*, municipality: Municipality) -> QuerySet[District]:
    return District.objects.filter(service_area__municipality=municipality).select_related(
        "service_area"
    )


def service_types_available(*, municipality: Municipality) -> QuerySet[ServiceType]:
    """The built-in catalogue and the municipality's own types."""
    return ServiceType.objects.filter(Q(municipality__isnull=True) | Q(municipality=municipality))


def staff_users(*, municipality: Municipality) -> QuerySet[User]:
    """Everyone who holds a role in the municipality."""
    return (
        User.objects.filter(role_assignments__municipality=municipality)
        .distinct()
        .prefetch_related("role_assignments__unit", "role_assignments__service_area")
    )


def staff_user_get(*, municipality: Municipality, pk: int) -> User:
    user = staff_users(municipality=municipality).filter(pk=pk).first()
    if user is None:
        raise Http404
    return user


def role_assignments_of(*, user: User, municipality: Municipality) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(user=user, municipality=municipality).select_related(
        "unit", "service_area"
    )


def role_assignments_of_unit(*, unit: Unit) -> QuerySet[RoleAssignment]:
    """Who works with the unit: its managers, staff and council members."""
    return (
        RoleAssignment.objects.filter(unit=unit)
        .select_related("user")
        .order_by("role", "user__first_name", "user__last_name")
    )


@dataclass
class DistrictNode:
    district: District | None
    units: list[Unit]


@dataclass
class ServiceAreaNode:
    service_area: ServiceArea
    districts: list[DistrictNode]


def organisation_tree(*, user: Any, municipality: Municipality) -> list[ServiceAreaNode]:
    """Service areas → districts → units, holding only the units the user may see.

    Units outside any district come last under their service area.
    """
    units = units_visible(user=user, municipality=municipality).order_by("name")
    by_district: dict[tuple[int, int | None], list[Unit]] = {}
    for unit in units:
        by_district.setdefault((unit.service_area_id, unit.district_id), []).append(unit)
    roles = role_set(user, municipality.pk)
    show_empty = roles.is_admin
    tree = []
    for area in service_areas(municipality=municipality).prefetch_related("districts"):
        nodes = [
            DistrictNode(district, by_district.get((area.pk, district.pk), []))
            for district in area.districts.all()
        ]
        nodes = [node for node in nodes if node.units or show_empty]
        loose = by_district.get((area.pk, None), [])
        if loose:
            nodes.append(DistrictNode(None, loose))
        if nodes or show_empty:
            tree.append(ServiceAreaNode(area, nodes))
    return tree


@dataclass(frozen=True)
class AuditFilter:
    actor: int | None = None
    action: str = ""
    target_type: str = ""
    date_from: date | None = None
    date_to: date | None = None


def audit_entries(*, municipality: Municipality, filters: AuditFilter) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.filter(municipality=municipality)
    if filters.actor is not None:
        entries = entries.filter(actor_id=filters.actor)
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.target_type:
        entries = entries.filter(target_type=filters.target_type)
    zone = timezone.get_current_timezone()
    if filters.date_from is not None:
        entries = entries.filter(
            created_at__gte=datetime.combine(filters.date_from, time.min, tzinfo=zone)
        )
    if filters.date_to is not None:
        entries = entries.filter(
            created_at__lte=datetime.combine(filters.date_to, time.max, tzinfo=zone)
        )
    return entries.select_related("actor")


def audit_facets(*, municipality: Municipality) -> dict[str, list[Any]]:
    """The values the audit log's filters offer: only what occurs in this municipality."""
    entries = AuditEntry.objects.filter(municipality=municipality)
    actor_ids = entries.exclude(actor=None).values_list("actor_id", flat=True).distinct()
    return {
        "actors": list(User.objects.filter(pk__in=actor_ids)),
        "actions": sorted(entries.values_list("action", flat=True).distinct()),
        "target_types": sorted(entries.values_list("target_type", flat=True).distinct()),
    }
