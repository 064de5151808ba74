"""Who may do what with surveys, in one place.

Quality advisers run the rounds of their service area; system administrators may do so in
any. Unit managers follow their own units' response rates. Nobody, whatever the role, can
open a single response: there is no permission for it because there is no page for it.
"""

from __future__ import annotations

import rules

from medvirk.organisation.models import Municipality, Role
from medvirk.organisation.rules import NO_ROLES, RoleSet, role_set

from .models import Questionnaire, Round


def _roles(user: object, obj: Municipality | Round | Questionnaire | None) -> RoleSet:
    if isinstance(obj, Municipality):
        return role_set(user, obj.pk)
    if isinstance(obj, Round):
        return role_set(user, obj.municipality_id)
    if isinstance(obj, Questionnaire) and obj.municipality_id is not None:
        return role_set(user, obj.municipality_id)
    return NO_ROLES


@rules.predicate
def runs_surveys(user: object, obj: Municipality | None) -> bool:
    roles = _roles(user, obj)
    return roles.is_admin or bool(roles.quality_adviser_areas)


@rules.predicate
def follows_surveys(user: object, obj: Municipality | None) -> bool:
    roles = _roles(user, obj)
    return bool(roles.units(Role.UNIT_MANAGER))


@rules.predicate
def runs_round(user: object, round_: Round | None) -> bool:
    roles = _roles(user, round_)
    return round_ is not None and (
        roles.is_admin or round_.service_area_id in roles.quality_adviser_areas
    )


@rules.predicate
def manages_a_unit_in_round(user: object, round_: Round | None) -> bool:
    roles = _roles(user, round_)
    managed = roles.units(Role.UNIT_MANAGER)
    return (
        round_ is not None
        and bool(managed)
        and round_.round_units.filter(unit_id__in=managed).exists()
    )


@rules.predicate
def edits_questionnaire(user: object, questionnaire: Questionnaire | None) -> bool:
    """Only a municipality's own copies are edited, by its advisers and administrators."""
    if questionnaire is None or questionnaire.municipality_id is None:
        return False
    roles = _roles(user, questionnaire)
    return roles.is_admin or bool(roles.quality_adviser_areas)


# The object is the municipality.
rules.add_perm("surveys.view_rounds", runs_surveys | follows_surveys)
rules.add_perm("surveys.manage_rounds", runs_surveys)
rules.add_perm("surveys.manage_questionnaires", runs_surveys)
# The object is a round.
rules.add_perm("surveys.view_round", runs_round | manages_a_unit_in_round)
rules.add_perm("surveys.run_round", runs_round)
# The object is a questionnaire.
rules.add_perm("surveys.edit_questionnaire", edits_questionnaire)
