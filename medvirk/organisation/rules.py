"""Who may do what in the organisation module: every decision in one place.

A user's powers come from their role assignments in the municipality they are working in
(see ``RoleSet``). Django superusers, who run the installation, count as system
administrators everywhere. Permissions are checked with ``user.has_perm(name, obj)``,
where ``obj`` is the municipality or the unit the action concerns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import rules
from django.db.models import Q

from .models import Municipality, Role, RoleAssignment, Unit


@dataclass(frozen=True)
class RoleSet:
    """The roles one user holds in one municipality."""

    is_admin: bool = False
    is_politician: bool = False
    quality_adviser_areas: frozenset[int] = frozenset()
    units_by_role: dict[str, frozenset[int]] = field(default_factory=dict)

    @property
    def is_staff_member(self) -> bool:
        return (
            self.is_admin
            or self.is_politician
            or bool(self.quality_adviser_areas)
            or any(self.units_by_role.values())
        )

    def units(self, *roles: Role) -> frozenset[int]:
        return frozenset().union(*(self.units_by_role.get(role, frozenset()) for role in roles))


NO_ROLES = RoleSet()


def role_set(user: Any, municipality_id: int) -> RoleSet:
    """The user's roles in a municipality, read once per request and kept on the user."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return NO_ROLES
    if getattr(user, "is_superuser", False):
        return RoleSet(is_admin=True)
    cache: dict[int, RoleSet] | None = getattr(user, "_medvirk_role_sets", None)
    if cache is None:
        cache = {}
        user._medvirk_role_sets = cache
    if municipality_id not in cache:
        assignments = RoleAssignment.objects.filter(
            user=user, municipality_id=municipality_id
        ).values_list("role", "service_area_id", "unit_id")
        units: dict[str, set[int]] = {}
        areas: set[int] = set()
        roles: set[str] = set()
        for role, service_area_id, unit_id in assignments:
            roles.add(role)
            if unit_id is not None:
                units.setdefault(role, set()).add(unit_id)
            if role == Role.QUALITY_ADVISER and service_area_id is not None:
                areas.add(service_area_id)
        cache[municipality_id] = RoleSet(
            is_admin=Role.SYSTEM_ADMIN in roles,
            is_politician=Role.POLITICIAN in roles,
            quality_adviser_areas=frozenset(areas),
            units_by_role={role: frozenset(ids) for role, ids in units.items()},
        )
    return cache[municipality_id]


# The roles that reach recipients' names and addresses (that someone receives care services
# is health information), unscreened comments and the per-response answer file: running
# survey rounds and their letters, and results (surveys/rules.py, results/rules.py).
TWO_FACTOR_ROLES = (Role.SYSTEM_ADMIN, Role.QUALITY_ADVISER)


def must_use_two_factor(user: Any) -> bool:
    """Whether the user must confirm sign-in with a second factor.

    Yes for a role in ``TWO_FACTOR_ROLES`` in a municipality that requires it. Superusers
    and back-office staff (``is_staff``) open the admin, which sees every municipality: for
    them, whenever any municipality requires it. Asked once per request at most.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    cached: bool | None = getattr(user, "_medvirk_two_factor", None)
    if cached is None:
        if user.is_superuser or user.is_staff:
            cached = Municipality.objects.filter(two_factor_required=True).exists()
        else:
            cached = RoleAssignment.objects.filter(
                user=user, role__in=TWO_FACTOR_ROLES, municipality__two_factor_required=True
            ).exists()
        user._medvirk_two_factor = cached
    return cached


def visible_units_filter(roles: RoleSet) -> Q:
    """The units whose pages a user may open. Used for every unit query and check."""
    if roles.is_admin or roles.is_politician:
        return Q()
    return Q(service_area_id__in=roles.quality_adviser_areas) | Q(
        pk__in=roles.units(Role.UNIT_MANAGER, Role.UNIT_STAFF, Role.COUNCIL_MEMBER)
    )


def editable_units_filter(roles: RoleSet) -> Q:
    """The units whose details and services a user may change."""
    if roles.is_admin:
        return Q()
    return Q(service_area_id__in=roles.quality_adviser_areas) | Q(
        pk__in=roles.units(Role.UNIT_MANAGER)
    )


def restructurable_units_filter(roles: RoleSet) -> Q:
    """The units whose name, code, district and active state a user may change."""
    if roles.is_admin:
        return Q()
    return Q(service_area_id__in=roles.quality_adviser_areas)


def _roles_for(user: object, obj: Municipality | Unit | None) -> RoleSet:
    if isinstance(obj, Municipality):
        return role_set(user, obj.pk)
    if isinstance(obj, Unit):
        return role_set(user, obj.municipality_id)
    return NO_ROLES


@rules.predicate
def is_staff_member(user: object, obj: Municipality | Unit | None) -> bool:
    return _roles_for(user, obj).is_staff_member


@rules.predicate
def is_system_admin(user: object, obj: Municipality | Unit | None) -> bool:
    return _roles_for(user, obj).is_admin


@rules.predicate
def is_quality_adviser(user: object, obj: Municipality | Unit | None) -> bool:
    return bool(_roles_for(user, obj).quality_adviser_areas)


def _unit_predicate(name: str, units_filter: Callable[[RoleSet], Q]) -> rules.Predicate:
    """A predicate on one unit, true when the unit is inside ``units_filter``'s scope."""

    def check(user: object, unit: Unit | None) -> bool:
        if unit is None:
            return False
        roles = _roles_for(user, unit)
        return roles.is_staff_member and (
            Unit.objects.filter(units_filter(roles), pk=unit.pk).exists()
        )

    return rules.predicate(check, name=name)


can_see_unit = _unit_predicate("can_see_unit", visible_units_filter)
can_edit_unit = _unit_predicate("can_edit_unit", editable_units_filter)
can_restructure_unit = _unit_predicate("can_restructure_unit", restructurable_units_filter)


# Municipality-wide pages (the object is a Municipality).
rules.add_perm("organisation.use_staff_pages", is_staff_member)
rules.add_perm("organisation.view_structure", is_staff_member)
rules.add_perm("organisation.manage_structure", is_system_admin)
rules.add_perm("organisation.manage_users", is_system_admin)
rules.add_perm("organisation.view_audit_log", is_system_admin | is_quality_adviser)
# One unit (the object is a Unit).
rules.add_perm("organisation.view_unit", can_see_unit)
rules.add_perm("organisation.change_unit", can_edit_unit)
rules.add_perm("organisation.restructure_unit", can_restructure_unit)
