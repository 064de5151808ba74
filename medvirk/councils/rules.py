"""Who may see and do what with the user councils, in one place.

- The unit manager is the council's secretary: plans its meetings, writes the agenda and the
  minutes, keeps its members and the unit's improvement plan. Quality advisers of the
  unit's service area and administrators may do the same for every council in their scope.
- A council member (the COUNCIL_MEMBER role on a unit) reads their own unit's council: its
  members, meetings and papers, the improvement plan and the unit's published results.
- Politicians read the dialogue meetings; everyone reads the public pages.
- Nobody else sees anything here. The municipality's council settings are for
  administrators.

Pages outside a user's role answer 403; an id outside their scope is not found (404, see
selectors.py).
"""

from __future__ import annotations

import rules

from medvirk.organisation.models import Municipality, Role, ServiceArea, Unit
from medvirk.organisation.rules import NO_ROLES, RoleSet, role_set

from .models import Council, ImprovementAction, Meeting

Scoped = Municipality | ServiceArea | Unit | Council | Meeting | ImprovementAction | None


def _unit(obj: Scoped) -> Unit | None:
    if isinstance(obj, Unit):
        return obj
    if isinstance(obj, Council):
        return obj.unit
    if isinstance(obj, Meeting):
        return obj.council.unit
    if isinstance(obj, ImprovementAction):
        return obj.unit
    return None


def _roles(user: object, obj: Scoped) -> RoleSet:
    if isinstance(obj, Municipality):
        return role_set(user, obj.pk)
    if isinstance(obj, ServiceArea):
        return role_set(user, obj.municipality_id)
    unit = _unit(obj)
    return role_set(user, unit.municipality_id) if unit is not None else NO_ROLES


def runs(roles: RoleSet, unit: Unit) -> bool:
    """Whether these roles run the unit's council (secretary, adviser, administrator)."""
    return (
        roles.is_admin
        or unit.service_area_id in roles.quality_adviser_areas
        or unit.pk in roles.units(Role.UNIT_MANAGER)
    )


def follows(roles: RoleSet, unit: Unit) -> bool:
    return unit.pk in roles.units(Role.COUNCIL_MEMBER)


@rules.predicate
def runs_council(user: object, obj: Scoped) -> bool:
    unit = _unit(obj)
    return unit is not None and runs(_roles(user, obj), unit)


@rules.predicate
def follows_council(user: object, obj: Scoped) -> bool:
    unit = _unit(obj)
    return unit is not None and follows(_roles(user, obj), unit)


@rules.predicate
def has_council_role(user: object, municipality: Municipality | None) -> bool:
    roles = _roles(user, municipality)
    return (
        roles.is_admin
        or bool(roles.quality_adviser_areas)
        or bool(roles.units(Role.UNIT_MANAGER, Role.COUNCIL_MEMBER))
    )


@rules.predicate
def is_politician(user: object, obj: Scoped) -> bool:
    return _roles(user, obj).is_politician


@rules.predicate
def is_admin(user: object, obj: Scoped) -> bool:
    return _roles(user, obj).is_admin


@rules.predicate
def runs_councils_somewhere(user: object, municipality: Municipality | None) -> bool:
    roles = _roles(user, municipality)
    return (
        roles.is_admin or bool(roles.quality_adviser_areas) or bool(roles.units(Role.UNIT_MANAGER))
    )


@rules.predicate
def is_dialogue_meeting(user: object, meeting: Meeting | None) -> bool:
    return isinstance(meeting, Meeting) and meeting.kind == Meeting.Kind.DIALOGUE


@rules.predicate
def runs_area(user: object, area: ServiceArea | None) -> bool:
    roles = _roles(user, area)
    return area is not None and (roles.is_admin or area.pk in roles.quality_adviser_areas)


# The object is the municipality.
rules.add_perm("councils.use", has_council_role)
rules.add_perm("councils.view_dialogue", has_council_role | is_politician)
rules.add_perm("councils.create_councils", runs_councils_somewhere)
rules.add_perm("councils.manage_settings", is_admin)
# The object is a council (or its unit).
rules.add_perm("councils.view_council", runs_council | follows_council)
rules.add_perm("councils.manage_council", runs_council)
# The object is a meeting.
rules.add_perm(
    "councils.view_meeting", runs_council | follows_council | (is_politician & is_dialogue_meeting)
)
rules.add_perm("councils.manage_meeting", runs_council)
# The object is an improvement action.
rules.add_perm("councils.view_action", runs_council | follows_council)
rules.add_perm("councils.manage_action", runs_council)
# The object is a service area: its annual report across councils.
rules.add_perm("councils.view_area_report", runs_area)
