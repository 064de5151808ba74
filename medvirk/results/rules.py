"""Who may see and do what with results, in one place.

- Quality advisers of the round's service area, and administrators, run the results: compute
  them (also while the round is open), screen comments, publish and withdraw, and see every
  group's figures.
- Unit managers and council members see their own units' results and the totals to compare
  with (districts, the whole area, services across it) once the round has closed.
- Everyone else, politicians and the public included, sees published results on the public
  pages only.

No role can see a suppressed group's figures: they are not stored (see models.py).
"""

from __future__ import annotations

import rules

from medvirk.organisation.models import Municipality, Role
from medvirk.organisation.rules import NO_ROLES, RoleSet, role_set
from medvirk.surveys.models import Round

from .models import Level, ResultCell, ResultSet

# The roles that follow their own units' results.
FOLLOWERS = (Role.UNIT_MANAGER, Role.COUNCIL_MEMBER)


def _roles(user: object, round_: Round | None) -> RoleSet:
    return role_set(user, round_.municipality_id) if round_ is not None else NO_ROLES


def _runs(user: object, round_: Round | None) -> bool:
    roles = _roles(user, round_)
    return round_ is not None and (
        roles.is_admin or round_.service_area_id in roles.quality_adviser_areas
    )


def followed_units(user: object, round_: Round) -> frozenset[int]:
    """The round's units whose results the user follows as manager or council member."""
    mine = _roles(user, round_).units(*FOLLOWERS)
    if not mine:
        return frozenset()
    return frozenset(round_.round_units.filter(unit_id__in=mine).values_list("unit_id", flat=True))


@rules.predicate
def runs_results(user: object, round_: Round | None) -> bool:
    return _runs(user, round_)


@rules.predicate
def follows_results(user: object, round_: Round | None) -> bool:
    if round_ is None:
        return False
    result_set = ResultSet.objects.filter(round=round_).first()
    return (
        result_set is not None
        and result_set.state != ResultSet.State.PRELIMINARY
        and bool(followed_units(user, round_))
    )


@rules.predicate
def sees_cell(user: object, cell: ResultCell | None) -> bool:
    if cell is None:
        return False
    round_ = cell.result_set.round
    if _runs(user, round_):
        return True
    if cell.result_set.state == ResultSet.State.PRELIMINARY:
        return False
    units = followed_units(user, round_)
    if not units:
        return False
    return cell.level != Level.UNIT or cell.unit_id in units


@rules.predicate
def has_results_role(user: object, municipality: Municipality | None) -> bool:
    if municipality is None:
        return False
    roles = role_set(user, municipality.pk)
    return roles.is_admin or bool(roles.quality_adviser_areas) or bool(roles.units(*FOLLOWERS))


# The object is the municipality: the staff pages of results (each round checked again).
rules.add_perm("results.view_list", has_results_role)
# The object is a round.
rules.add_perm("results.run", runs_results)
rules.add_perm("results.view_round", runs_results | follows_results)
# The object is a result cell.
rules.add_perm("results.view_cell", sees_cell)
