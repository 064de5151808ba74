"""Who may do what with surveys, role by role (medvirk/surveys/rules.py and selectors).

The round ``survey`` (from conftest) covers the world's unit and its sibling in service
area 05 of municipality A. Three more rounds prove the edges: one in A's other service area,
one in municipality B, and one covering only the sibling unit.
"""

from __future__ import annotations

import pytest
from django.http import Http404

from medvirk.organisation.models import Role
from medvirk.surveys import selectors, services
from medvirk.surveys.models import Questionnaire

from ..factories import RoleAssignmentFactory
from .conftest import Survey, import_people, make_round

ROLES = ["admin", "adviser", "manager", "staff", "council", "politician", "nobody", "beta_admin"]

# Municipality-wide permissions in municipality A, per role.
MUNICIPALITY_PERMISSIONS = {
    "surveys.view_rounds": {"admin", "adviser", "manager"},
    "surveys.manage_rounds": {"admin", "adviser"},
    "surveys.manage_questionnaires": {"admin", "adviser"},
}

# Permissions on the round `survey.round` (area 05, covering the manager's unit).
ROUND_PERMISSIONS = {
    "surveys.view_round": {"admin", "adviser", "manager"},
    "surveys.run_round": {"admin", "adviser"},
}


@pytest.fixture
def own_copy(world, questionnaires) -> Questionnaire:
    return services.questionnaire_copy(
        actor=None, municipality=world.alpha, source=questionnaires["hso-brukerundersokelse-2016"]
    )


# --- permissions ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("permission", sorted(MUNICIPALITY_PERMISSIONS))
def test_municipality_permission_per_role(world, role, permission):
    allowed = world.people[role].has_perm(permission, world.alpha)

    assert allowed == (role in MUNICIPALITY_PERMISSIONS[permission])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("permission", sorted(ROUND_PERMISSIONS))
def test_round_permission_per_role(world, survey: Survey, role, permission):
    allowed = world.people[role].has_perm(permission, survey.round)

    assert allowed == (role in ROUND_PERMISSIONS[permission])


@pytest.mark.parametrize("permission", sorted(ROUND_PERMISSIONS))
def test_adviser_has_no_power_over_a_round_of_another_service_area(world, school_round, permission):
    assert not world.people["adviser"].has_perm(permission, school_round)


@pytest.mark.parametrize("permission", sorted(ROUND_PERMISSIONS))
def test_administrator_runs_rounds_of_every_service_area(world, school_round, permission):
    assert world.people["admin"].has_perm(permission, school_round)


@pytest.mark.parametrize("role", ["admin", "adviser", "manager"])
@pytest.mark.parametrize("permission", sorted(ROUND_PERMISSIONS))
def test_nobody_in_municipality_a_has_power_over_a_round_of_b(world, beta_round, role, permission):
    assert not world.people[role].has_perm(permission, beta_round)


def test_administrator_of_b_runs_the_round_of_b(world, beta_round):
    assert world.people["beta_admin"].has_perm("surveys.run_round", beta_round)


def test_manager_cannot_see_a_round_that_does_not_cover_their_unit(world, sibling_round):
    assert not world.people["manager"].has_perm("surveys.view_round", sibling_round)


@pytest.mark.parametrize("role", ROLES)
def test_own_questionnaire_copy_is_edited_by_administrator_and_adviser(world, own_copy, role):
    allowed = world.people[role].has_perm("surveys.edit_questionnaire", own_copy)

    assert allowed == (role in {"admin", "adviser"})


@pytest.mark.parametrize("role", ["admin", "adviser", "beta_admin"])
def test_built_in_questionnaire_is_edited_by_nobody(world, questionnaires, role):
    built_in = questionnaires["hso-brukerundersokelse-2016"]

    assert not world.people[role].has_perm("surveys.edit_questionnaire", built_in)


def test_administrator_of_b_cannot_edit_a_copy_of_a(world, own_copy):
    assert not world.people["beta_admin"].has_perm("surveys.edit_questionnaire", own_copy)


def test_superuser_runs_every_round(world, beta_round):
    root = world.people["nobody"]
    root.is_superuser = True
    root.save()

    assert root.has_perm("surveys.run_round", beta_round)


def test_inactive_adviser_cannot_run_a_round(world, survey: Survey):
    adviser = world.people["adviser"]
    adviser.is_active = False
    adviser.save()

    assert not adviser.has_perm("surveys.run_round", survey.round)


# --- what each role finds (selectors) --------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", {"Brukerundersøkelse 2026", "Hjemmetjenesten 2026", "Elevundersøkelse 2026"}),
        ("adviser", {"Brukerundersøkelse 2026", "Hjemmetjenesten 2026"}),
        ("manager", {"Brukerundersøkelse 2026"}),
        ("staff", set()),
        ("council", set()),
        ("politician", set()),
        ("nobody", set()),
        ("beta_admin", set()),
    ],
)
def test_rounds_visible_per_role(
    world, survey: Survey, sibling_round, school_round, beta_round, role, expected
):
    rounds = selectors.rounds_visible(user=world.people[role], municipality=world.alpha)

    assert {r.name for r in rounds} == expected


def test_round_of_b_is_not_found_by_its_id_in_a(world, beta_round):
    with pytest.raises(Http404):
        selectors.round_get_visible(
            user=world.people["admin"], municipality=world.alpha, pk=beta_round.pk
        )


def test_round_of_b_is_not_found_in_a_even_by_the_administrator_of_b(world, beta_round):
    with pytest.raises(Http404):
        selectors.round_get_visible(
            user=world.people["beta_admin"], municipality=world.alpha, pk=beta_round.pk
        )


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", {"Nord sykehjem": 3, "Nord hjemmetjeneste": 1}),
        ("adviser", {"Nord sykehjem": 3, "Nord hjemmetjeneste": 1}),
        ("manager", {"Nord sykehjem": 3}),
    ],
)
def test_round_progress_shows_a_manager_only_their_own_unit(world, survey: Survey, role, expected):
    progress = selectors.round_progress(round_=survey.round, user=world.people[role])

    assert {row.unit.name: row.invited for row in progress} == expected


def test_manager_of_two_units_sees_both_rows(world, questionnaires):
    round_ = make_round(world, questionnaires, units=[world.unit, world.sibling, world.loose_unit])
    import_people(round_, "Kari Hjemme;Engene 5;3015;Drammen;hh;;nb;nei")
    manager = world.people["manager"]
    RoleAssignmentFactory.create(
        user=manager, municipality=world.alpha, role=Role.UNIT_MANAGER, unit=world.loose_unit
    )

    progress = selectors.round_progress(round_=round_, user=manager)

    assert [row.unit.name for row in progress] == ["Helsehuset", "Nord sykehjem"]
