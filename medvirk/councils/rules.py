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

from dataclasses import dataclass

import rules
from django.db.models import Q

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


@dataclass(frozen=True)
class CouncilScope:
    """The units whose councils a user reaches: all of them, or those of some service
    areas and some units. Checks here and queries in selectors.py both read it, so a page
    and its lists cannot disagree about who sees what."""

    everywhere: bool = False
    areas: frozenset[int] = frozenset()
    units: frozenset[int] = frozenset()

    @property
    def is_empty(self) -> bool:
        return not (self.everywhere or self.areas or self.units)

    def covers(self, unit: Unit) -> bool:
        return self.everywhere or unit.service_area_id in self.areas or unit.pk in self.units

    def covers_area(self, area: ServiceArea) -> bool:
        return self.everywhere or area.pk in self.areas

    def units_filter(self, prefix: str = "") -> Q:
        """The units in scope as a filter; ``prefix`` reaches the unit from another model."""
        if self.everywhere:
            return Q()
        return Q(**{f"{prefix}service_area_id__in": self.areas}) | Q(
            **{f"{prefix}pk__in": self.units}
        )


def run_scope(roles: RoleSet) -> CouncilScope:
    """The councils these roles run: the secretary's, the adviser's area's, and for
    administrators all."""
    return CouncilScope(
        everywhere=roles.is_admin,
        areas=roles.quality_adviser_areas,
        units=roles.units(Role.UNIT_MANAGER),
    )


def read_scope(roles: RoleSet) -> CouncilScope:
    """The councils these roles read: those they run, and their own unit's for members."""
    return CouncilScope(
        everywhere=roles.is_admin,
        areas=roles.quality_adviser_areas,
        units=roles.units(Role.UNIT_MANAGER, Role.COUNCIL_MEMBER),
    )


@rules.predicate
def runs_council(user: object, obj: Scoped) -> bool:
    unit = _unit(obj)
    return unit is not None and run_scope(_roles(user, obj)).covers(unit)


@rules.predicate
def reads_council(user: object, obj: Scoped) -> bool:
    unit = _unit(obj)
    return unit is not None and read_scope(_roles(user, obj)).covers(unit)


@rules.predicate
def has_council_role(user: object, municipality: Municipality | None) -> bool:
    return not read_scope(_roles(user, municipality)).is_empty


@rules.predicate
def is_politician(user: object, obj: Scoped) -> bool:
    return _roles(user, obj).is_politician


@rules.predicate
def is_admin(user: object, obj: Scoped) -> bool:
    return _roles(user, obj).is_admin


@rules.predicate
def runs_councils_somewhere(user: object, municipality: Municipality | None) -> bool:
    return not run_scope(_roles(user, municipality)).is_empty


@rules.predicate
def is_dialogue_meeting(user: object, meeting: Meeting | None) -> bool:
    return isinstance(meeting, Meeting) and meeting.kind == Meeting.Kind.DIALOGUE


@rules.predicate
def runs_area(user: object, area: ServiceArea | None) -> bool:
    return area is not None and run_scope(_roles(user, area)).covers_area(area)


# The object is the municipality.
rules.add_perm("councils.use", has_council_role)
rules.add_perm("councils.view_dialogue", has_council_role | is_politician)
rules.add_perm("councils.create_councils", runs_councils_somewhere)
rules.add_perm("councils.manage_settings", is_admin)
# The object is a council (or its unit).
rules.add_perm("councils.view_council", reads_council)
rules.add_perm("councils.manage_council", runs_council)
# The object is a meeting.
rules.add_perm("councils.view_meeting", reads_council | (is_politician & is_dialogue_meeting))
rules.add_perm("councils.manage_meeting", runs_council)
# The object is an improvement action.
rules.add_perm("councils.view_action", reads_council)
rules.add_perm("councils.manage_action", runs_council)
# The object is a service area: its annual report across councils.
rules.add_perm("councils.view_area_report", runs_area)
