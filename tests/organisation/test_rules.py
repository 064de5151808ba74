"""Who may do what, role by role (medvirk/organisation/rules.py)."""

from __future__ import annotations

import pytest

from medvirk.organisation import selectors

ROLES = ["admin", "adviser", "manager", "staff", "council", "politician", "nobody", "beta_admin"]

# Municipality-wide permissions in municipality A, per role.
MUNICIPALITY_PERMISSIONS = {
    "organisation.use_staff_pages": {
        "admin",
        "adviser",
        "manager",
        "staff",
        "council",
        "politician",
    },
    "organisation.manage_structure": {"admin"},
    "organisation.manage_users": {"admin"},
    "organisation.view_audit_log": {"admin", "adviser"},
}

# Permissions on the unit `world.unit` (in A's service area 05, managed by "manager").
UNIT_PERMISSIONS = {
    "organisation.view_unit": {"admin", "adviser", "manager", "staff", "council", "politician"},
    "organisation.change_unit": {"admin", "adviser", "manager"},
    "organisation.restructure_unit": {"admin", "adviser"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("permission", sorted(MUNICIPALITY_PERMISSIONS))
def test_municipality_permission_per_role(world, role, permission):
    allowed = world.people[role].has_perm(permission, world.alpha)

    assert allowed == (role in MUNICIPALITY_PERMISSIONS[permission])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("permission", sorted(UNIT_PERMISSIONS))
def test_unit_permission_per_role(world, role, permission):
    allowed = world.people[role].has_perm(permission, world.unit)

    assert allowed == (role in UNIT_PERMISSIONS[permission])


@pytest.mark.parametrize("role", ["manager", "staff", "council"])
def test_unit_roles_cannot_see_a_sibling_unit(world, role):
    assert not world.people[role].has_perm("organisation.view_unit", world.sibling)


def test_manager_cannot_change_a_sibling_unit(world):
    assert not world.people["manager"].has_perm("organisation.change_unit", world.sibling)


@pytest.mark.parametrize("role", ["admin", "adviser", "politician"])
def test_nobody_in_municipality_a_sees_municipality_b(world, role):
    assert not world.people[role].has_perm("organisation.view_unit", world.foreign_unit)


def test_admin_of_b_has_no_power_in_a(world):
    assert not world.people["beta_admin"].has_perm("organisation.manage_structure", world.alpha)


def test_quality_adviser_sees_only_units_of_their_service_area(world):
    other = world.other_area.units.create(name="Skole", code="skole")

    assert world.people["adviser"].has_perm("organisation.view_unit", world.unit)
    assert not world.people["adviser"].has_perm("organisation.view_unit", other)


def test_inactive_user_has_no_permissions(world):
    admin = world.people["admin"]
    admin.is_active = False
    admin.save()

    assert not admin.has_perm("organisation.use_staff_pages", world.alpha)


def test_superuser_counts_as_administrator_everywhere(world):
    root = world.people["nobody"]
    root.is_superuser = True
    root.save()

    assert root.has_perm("organisation.manage_structure", world.beta)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", {"Nord sykehjem", "Nord hjemmetjeneste", "Helsehuset"}),
        ("adviser", {"Nord sykehjem", "Nord hjemmetjeneste", "Helsehuset"}),
        ("manager", {"Nord sykehjem"}),
        ("staff", {"Nord sykehjem"}),
        ("council", {"Nord sykehjem"}),
        ("politician", {"Nord sykehjem", "Nord hjemmetjeneste", "Helsehuset"}),
        ("nobody", set()),
        ("beta_admin", set()),
    ],
)
def test_visible_units_per_role(world, role, expected):
    units = selectors.units_visible(user=world.people[role], municipality=world.alpha)

    assert {unit.name for unit in units} == expected
