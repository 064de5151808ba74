"""The demo municipality from the seeds, and the command `make run` uses to load it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from medvirk.organisation import demo
from medvirk.organisation.models import District, Municipality, RoleAssignment, Unit, User

KONNERUD_FACT_SHEET_SERVICES = {
    "nursing_home_long_term",
    "nursing_home_short_term",
    "home_nursing",
    "practical_assistance",
    "preventive_home_visits",
    "day_centre",
    "volunteer_cooperation",
}
UNITS_NAMED_BY_THE_BUDGET = {
    "NAV Drammen",
    "Senter for rusforebygging",
    "Psykiske helsetjenester",
    "Helsetjenesten",
    "Helsehuset",
    "Tilrettelagte tjenester",
    "Tjenestetildeling og samordning",
    "Skap Gode Dager",
}


@pytest.fixture
def demo_output(db, settings, tmp_path) -> str:
    settings.DATA_DIR = tmp_path
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_has_the_units_the_budget_names_and_eight_districts(demo_output):
    names = set(Unit.objects.values_list("name", flat=True))

    assert names >= UNITS_NAMED_BY_THE_BUDGET
    assert District.objects.count() == 8
    assert District.objects.filter(name="Konnerud HOD").exists()


def test_konnerud_delivers_the_services_of_its_fact_sheet(demo_output):
    codes = set(
        Unit.objects.filter(district__name="Konnerud HOD").values_list(
            "services__service_type__code", flat=True
        )
    )

    assert codes >= KONNERUD_FACT_SHEET_SERVICES
    assert Unit.objects.get(name="Konnerud bo- og behandlingssenter").street_address == (
        "Torsbergveien 8"
    )


def test_demo_has_staff_in_every_role(demo_output):
    roles = set(RoleAssignment.objects.values_list("role", flat=True))

    assert roles == {
        "system_admin",
        "quality_adviser",
        "unit_manager",
        "unit_staff",
        "council_member",
        "politician",
    }


def test_printed_password_signs_every_demo_user_in(demo_output):
    password = demo_output.split("Password for every demo user: ")[1].split()[0]

    for user in User.objects.all():
        assert user.check_password(password), user.username


def test_second_run_keeps_existing_data_and_prints_the_same_password(demo_output, tmp_path):
    Unit.objects.filter(name="Helsehuset").update(phone="99 99 99 99")
    out = StringIO()

    call_command("load_demo", stdout=out)

    assert Municipality.objects.count() == 1
    assert Unit.objects.get(name="Helsehuset").phone == "99 99 99 99"
    first = demo_output.split("Password for every demo user: ")[1].split()[0]
    assert f"Password for every demo user: {first}" in out.getvalue()


def test_lost_password_file_gives_the_demo_users_a_new_password(demo_output, tmp_path):
    (tmp_path / "demo-password.txt").unlink()
    out = StringIO()

    call_command("load_demo", stdout=out)

    password = out.getvalue().split("Password for every demo user: ")[1].split()[0]
    assert User.objects.get(username="admin").check_password(password)


def test_demo_password_is_random():
    assert demo.demo_password() != demo.demo_password()
