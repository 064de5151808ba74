"""The staff pages as each role sees them, including ids from other units in the URL."""

from __future__ import annotations

import pytest
from django.urls import reverse

from medvirk.organisation.models import AuditEntry, Service, Unit

from ..factories import built_in_type

PAGES_FOR_EVERY_ROLE = ["core:dashboard", "organisation:structure", "organisation:service_types"]


@pytest.mark.parametrize("role", ["admin", "adviser", "manager", "staff", "council", "politician"])
@pytest.mark.parametrize("page", PAGES_FOR_EVERY_ROLE)
def test_every_role_opens_the_common_staff_pages(client_for, role, page):
    response = client_for(role).get(reverse(page))

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("page", "allowed"),
    [
        ("organisation:users", {"admin"}),
        ("organisation:user_create", {"admin"}),
        ("organisation:settings", {"admin"}),
        ("organisation:unit_create", {"admin"}),
        ("organisation:audit_log", {"admin", "adviser"}),
    ],
)
@pytest.mark.parametrize("role", ["admin", "adviser", "manager", "staff", "council", "politician"])
def test_restricted_pages_per_role(client_for, role, page, allowed):
    response = client_for(role).get(reverse(page))

    assert response.status_code == (200 if role in allowed else 403)


def test_signed_out_visitor_is_sent_to_sign_in(anonymous):
    response = anonymous.get(reverse("organisation:structure"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_user_without_a_role_is_refused(client_for):
    response = client_for("nobody").get(reverse("core:dashboard"))

    assert response.status_code == 403


def test_manager_opens_own_unit(client_for, world):
    response = client_for("manager").get(reverse("organisation:unit_detail", args=[world.unit.pk]))

    assert response.status_code == 200
    assert world.unit.name in response.text


@pytest.mark.parametrize("url_name", ["organisation:unit_detail", "organisation:unit_edit"])
def test_manager_cannot_open_another_unit_by_changing_the_id(client_for, world, url_name):
    response = client_for("manager").get(reverse(url_name, args=[world.sibling.pk]))

    assert response.status_code == 404


def test_manager_cannot_change_another_unit_by_posting_to_its_id(client_for, world):
    response = client_for("manager").post(
        reverse("organisation:unit_edit", args=[world.sibling.pk]),
        {"street_address": "Hacked 1", "postal_code": "0001", "place": "X"},
    )

    assert response.status_code == 404
    assert Unit.objects.get(pk=world.sibling.pk).street_address == ""


def test_manager_cannot_add_a_service_to_another_unit(client_for, world):
    response = client_for("manager").post(
        reverse("organisation:unit_service_add", args=[world.sibling.pk]),
        {"service_type": built_in_type("day_centre").pk},
    )

    assert response.status_code == 404
    assert not Service.objects.filter(unit=world.sibling).exists()


def test_admin_of_a_cannot_open_a_unit_of_b(client_for, world):
    response = client_for("admin").get(
        reverse("organisation:unit_detail", args=[world.foreign_unit.pk])
    )

    assert response.status_code == 404


def test_admin_of_a_on_b_host_is_refused(client_for):
    response = client_for("admin", host="beta.test").get(reverse("organisation:structure"))

    assert response.status_code == 403


def test_structure_page_lists_only_the_units_a_manager_may_see(client_for, world):
    response = client_for("manager").get(reverse("organisation:structure"))

    assert world.unit.name in response.text
    assert world.sibling.name not in response.text
    assert world.foreign_unit.name not in response.text


def test_staff_member_sees_own_unit_without_an_edit_link(client_for, world):
    response = client_for("staff").get(reverse("organisation:unit_detail", args=[world.unit.pk]))

    assert reverse("organisation:unit_edit", args=[world.unit.pk]) not in response.text


def test_staff_member_cannot_edit_own_unit(client_for, world):
    response = client_for("staff").get(reverse("organisation:unit_edit", args=[world.unit.pk]))

    assert response.status_code == 403


def test_manager_edits_contact_details_of_own_unit(client_for, world):
    response = client_for("manager").post(
        reverse("organisation:unit_edit", args=[world.unit.pk]),
        {"street_address": "Torsbergveien 8", "postal_code": "3029", "place": "Drammen"},
    )

    assert response.status_code == 302
    assert Unit.objects.get(pk=world.unit.pk).street_address == "Torsbergveien 8"


def test_manager_cannot_rename_own_unit(client_for, world):
    client_for("manager").post(
        reverse("organisation:unit_edit", args=[world.unit.pk]),
        {"name": "Renamed", "street_address": "", "postal_code": "", "place": ""},
    )

    assert Unit.objects.get(pk=world.unit.pk).name == "Nord sykehjem"


def test_rejected_unit_form_keeps_what_was_typed_and_says_what_to_fix(client_for, world):
    response = client_for("admin").post(
        reverse("organisation:unit_create"),
        {
            "service_area": world.area.pk,
            "name": "Sør dagsenter",
            "code": "s-dag",
            "postal_code": "30A",
            "street_address": "Sørveien 2",
        },
    )

    assert response.status_code == 400
    assert 'value="Sørveien 2"' in response.text
    assert 'value="Sør dagsenter"' in response.text
    assert "Skriv inn fire sifre." in response.text
    assert not Unit.objects.filter(name="Sør dagsenter").exists()


def test_unit_form_refuses_a_district_of_another_municipality(client_for, world):
    beta_district = world.foreign_unit.service_area.districts.create(name="Beta HOD", code="bhod")

    response = client_for("admin").post(
        reverse("organisation:unit_create"),
        {"service_area": world.area.pk, "name": "Ny", "code": "ny", "district": beta_district.pk},
    )

    assert response.status_code == 400
    assert not Unit.objects.filter(name="Ny").exists()


def test_admin_creates_a_unit_and_the_audit_log_records_it(client_for, world):
    response = client_for("admin").post(
        reverse("organisation:unit_create"),
        {
            "service_area": world.area.pk,
            "district": world.district.pk,
            "name": "Nord dagsenter",
            "code": "n-dag",
            "is_active": "on",
        },
    )

    unit = Unit.objects.get(name="Nord dagsenter")
    assert response["Location"] == unit.get_absolute_url()
    entry = AuditEntry.objects.get(action="unit.create")
    assert (entry.actor, entry.target_id, entry.municipality) == (
        world.people["admin"],
        str(unit.pk),
        world.alpha,
    )


def test_manager_adds_and_removes_a_service_of_own_unit(client_for, world):
    client = client_for("manager")
    client.post(
        reverse("organisation:unit_service_add", args=[world.unit.pk]),
        {"service_type": built_in_type("day_centre").pk},
    )
    service = Service.objects.get(unit=world.unit)

    client.post(reverse("organisation:unit_service_remove", args=[world.unit.pk, service.pk]))

    assert not Service.objects.filter(unit=world.unit).exists()
    assert list(
        AuditEntry.objects.filter(target_type="organisation.service")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["service.add", "service.remove"]


def test_admin_creates_a_user_with_a_first_role(client_for, world):
    response = client_for("admin").post(
        reverse("organisation:user_create"),
        {
            "username": "ny.leder",
            "first_name": "Nina",
            "last_name": "Leder",
            "email": "nina@example.org",
            "password": "et-langt-passord-2026",
            "role": "unit_manager",
            "unit": world.sibling.pk,
        },
    )

    assert response.status_code == 302
    created = world.alpha.role_assignments.get(user__username="ny.leder")
    assert (created.role, created.unit) == ("unit_manager", world.sibling)


def test_unit_manager_role_without_a_unit_is_refused_with_a_message(client_for, world):
    response = client_for("admin").post(
        reverse("organisation:user_create"),
        {"username": "x", "first_name": "X", "last_name": "Y", "role": "unit_manager"},
    )

    assert response.status_code == 400
    assert "Velg virksomheten rollen gjelder." in response.text


def test_admin_cannot_open_a_user_of_another_municipality(client_for, world):
    response = client_for("admin").get(
        reverse("organisation:user_detail", args=[world.people["beta_admin"].pk])
    )

    assert response.status_code == 404


def test_admin_cannot_remove_the_last_role_of_a_user(client_for, world):
    manager = world.people["manager"]
    assignment = manager.role_assignments.get()

    client_for("admin").post(reverse("organisation:role_revoke", args=[manager.pk, assignment.pk]))

    assert manager.role_assignments.filter(pk=assignment.pk).exists()


def test_audit_log_filters_by_action(client_for, world):
    client = client_for("admin")
    client.post(
        reverse("organisation:unit_edit", args=[world.unit.pk]),
        {"name": "Nord bo- og behandlingssenter", "code": "n-shj", "is_active": "on"},
    )
    client.post(
        reverse("organisation:unit_service_add", args=[world.unit.pk]),
        {"service_type": built_in_type("day_centre").pk},
    )

    response = client.get(reverse("organisation:audit_log"), {"action": "unit.update"})

    assert [entry.action for entry in response.context["page"].object_list] == ["unit.update"]
    assert "Nord bo- og behandlingssenter" in response.text


def test_audit_log_shows_nothing_from_another_municipality(client_for, world):
    AuditEntry.objects.create(
        municipality=world.beta,
        actor_name="Beta",
        action="unit.update",
        target_type="organisation.unit",
        target_repr="Beta sykehjem",
    )

    response = client_for("admin").get(reverse("organisation:audit_log"))

    assert "Beta sykehjem" not in response.text


def test_audit_log_rejects_a_reversed_date_range_and_keeps_the_dates(client_for):
    response = client_for("admin").get(
        reverse("organisation:audit_log"), {"date_from": "22.11.2026", "date_to": "01.11.2026"}
    )

    assert response.status_code == 400
    assert 'value="22.11.2026"' in response.text
