"""The migration that gives every municipality its council settings makes them, with the
seed's rules, for those that had none, and leaves settings that were changed alone."""

from __future__ import annotations

import pytest

from ..migrations import back_to_the_latest, migrate  # noqa: F401 (a fixture, used by name)

# Organisation's latest migration too, so that the municipalities made here have every
# column the database has.
ORGANISATION = ("organisation", "0004_municipality_two_factor_required")
BEFORE = [("councils", "0001_initial"), ORGANISATION]
AFTER = [("councils", "0002_settings_for_every_municipality"), ORGANISATION]


@pytest.mark.usefixtures("back_to_the_latest")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_municipality_without_settings_gets_the_seeds_rules():
    old = migrate(BEFORE)
    old.get_model("organisation", "Municipality").objects.create(
        name="Gammel kommune", slug="gammel", number="9999"
    )

    new = migrate(AFTER)
    found = new.get_model("councils", "CouncilSettings").objects.get(municipality__slug="gammel")

    assert (found.max_representatives, found.term_years, found.max_chairs) == (5, 2, 1)


@pytest.mark.usefixtures("back_to_the_latest")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_settings_a_municipality_already_has_are_kept():
    old = migrate(BEFORE)
    municipality = old.get_model("organisation", "Municipality").objects.create(
        name="Endret kommune", slug="endret", number="9998"
    )
    old.get_model("councils", "CouncilSettings").objects.create(
        municipality=municipality, max_representatives=3
    )

    new = migrate(AFTER)
    found = new.get_model("councils", "CouncilSettings").objects.filter(municipality__slug="endret")

    assert [settings.max_representatives for settings in found] == [3]
