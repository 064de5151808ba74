"""Every write goes through a service: validated, atomic, and written to the audit log."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from medvirk.organisation import services
from medvirk.organisation.models import AuditEntry, Role, RoleAssignment, Unit, User

from ..factories import built_in_type


def test_unit_update_records_who_changed_what(world):
    admin = world.people["admin"]

    services.unit_update(actor=admin, unit=world.unit, data={"phone": "32 04 00 00"})

    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.actor_name, entry.action, entry.target_repr) == (
        admin,
        "Admin Person " + admin.last_name.split()[-1],
        "unit.update",
        "Nord sykehjem",
    )
    assert entry.changes == {"phone": ["", "32 04 00 00"]}


def test_update_that_changes_nothing_writes_no_entry(world):
    services.unit_update(
        actor=world.people["admin"], unit=world.unit, data={"name": "Nord sykehjem"}
    )

    assert not AuditEntry.objects.exists()


def test_refused_update_leaves_neither_change_nor_entry(world):
    with pytest.raises(ValidationError):
        services.unit_update(
            actor=world.people["admin"], unit=world.unit, data={"phone": "1", "postal_code": "x"}
        )

    assert Unit.objects.get(pk=world.unit.pk).phone == ""
    assert not AuditEntry.objects.exists()


def test_update_refuses_fields_it_does_not_own(world):
    with pytest.raises(ValueError, match="service_area"):
        services.unit_update(
            actor=world.people["admin"], unit=world.unit, data={"service_area": world.other_area}
        )


def test_unit_in_a_district_of_another_service_area_is_refused(world):
    with pytest.raises(ValidationError, match="district"):
        services.unit_create(
            actor=None,
            service_area=world.other_area,
            data={"name": "Skole", "code": "skole", "district": world.district},
        )


def test_a_service_is_added_once(world):
    day_centre = built_in_type("day_centre")
    services.unit_service_add(actor=None, unit=world.unit, service_type=day_centre)

    with pytest.raises(ValidationError):
        services.unit_service_add(actor=None, unit=world.unit, service_type=day_centre)


def test_local_service_type_of_another_municipality_is_refused(world):
    beta_type = services.service_type_create(
        actor=None, municipality=world.beta, code="kafe", name="Kafé"
    )

    with pytest.raises(ValidationError):
        services.unit_service_add(actor=None, unit=world.unit, service_type=beta_type)


def test_local_service_type_cannot_take_a_built_in_code(world):
    with pytest.raises(ValidationError, match="code"):
        services.service_type_create(
            actor=None, municipality=world.alpha, code="day_centre", name="Dagsenter"
        )


def test_built_in_service_type_cannot_be_changed(world):
    with pytest.raises(ValidationError):
        services.service_type_update(
            actor=None, service_type=built_in_type("day_centre"), data={"name": "X"}
        )


def test_user_create_gives_the_first_role_in_the_same_step(world):
    user = services.user_create(
        actor=world.people["admin"],
        municipality=world.alpha,
        username="kari",
        first_name="Kari",
        last_name="Nordmann",
        role=Role.QUALITY_ADVISER,
        service_area=world.area,
    )

    assert list(user.role_assignments.values_list("role", "service_area")) == [
        ("quality_adviser", world.area.pk)
    ]
    assert not user.has_usable_password()
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "user.create",
        "role.assign",
    ]


def test_user_create_with_an_invalid_role_creates_no_user(world):
    with pytest.raises(ValidationError):
        services.user_create(
            actor=None,
            municipality=world.alpha,
            username="halv",
            first_name="Halv",
            last_name="Bruker",
            role=Role.UNIT_MANAGER,
            unit=world.foreign_unit,
        )

    assert not User.objects.filter(username="halv").exists()
    assert not AuditEntry.objects.exists()


def test_role_outside_the_municipality_is_refused(world):
    with pytest.raises(ValidationError, match="unit"):
        services.role_assign(
            actor=None,
            municipality=world.alpha,
            user=world.people["staff"],
            role=Role.UNIT_STAFF,
            unit=world.foreign_unit,
        )


def test_the_same_role_twice_is_refused(world):
    with pytest.raises(ValidationError):
        services.role_assign(
            actor=None,
            municipality=world.alpha,
            user=world.people["manager"],
            role=Role.UNIT_MANAGER,
            unit=world.unit,
        )


def test_last_role_cannot_be_removed(world):
    assignment = world.people["staff"].role_assignments.get()

    with pytest.raises(ValidationError, match="eneste rolle"):
        services.role_revoke(actor=world.people["admin"], assignment=assignment)


def test_admin_cannot_remove_own_admin_role(world):
    admin = world.people["admin"]
    services.role_assign(actor=admin, municipality=world.alpha, user=admin, role=Role.POLITICIAN)
    own = admin.role_assignments.get(role=Role.SYSTEM_ADMIN)

    with pytest.raises(ValidationError, match="din egen administratorrolle"):
        services.role_revoke(actor=admin, assignment=own)


def test_role_revoke_is_logged_with_the_role_it_removed(world):
    manager = world.people["manager"]
    services.role_assign(actor=None, municipality=world.alpha, user=manager, role=Role.POLITICIAN)
    politician = manager.role_assignments.get(role=Role.POLITICIAN)

    services.role_revoke(actor=world.people["admin"], assignment=politician)

    assert not RoleAssignment.objects.filter(pk=politician.pk).exists()
    entry = AuditEntry.objects.get(action="role.revoke")
    assert entry.changes["role"][1] is None


def test_unregistered_audit_action_is_a_programming_error(world):
    with pytest.raises(ValueError, match="unregistered"):
        services.audit_record(
            actor=None, municipality=world.alpha, action="unit.explode", target=world.unit
        )


@pytest.mark.django_db
def test_a_new_municipality_comes_with_the_seeds_council_settings():
    lier = services.municipality_create(actor=None, name="Lier kommune", slug="lier", number="3312")

    found = lier.council_settings
    assert (found.max_representatives, found.term_years, found.max_chairs) == (5, 2, 1)
