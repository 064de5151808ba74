"""The migration that added two-factor sign-in gives existing municipalities the
installation's default: on under the production settings, off under the demo's."""

from __future__ import annotations

import pytest

from ..migrations import back_to_the_latest, migrate  # noqa: F401 (a fixture, used by name)

BEFORE = [("organisation", "0003_municipality_results_min_n")]
AFTER = [("organisation", "0004_municipality_two_factor_required")]


@pytest.mark.usefixtures("back_to_the_latest")
@pytest.mark.parametrize("default", [True, False])
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_municipalities_get_the_installation_default(settings, default):
    settings.MEDVIRK_TWO_FACTOR_DEFAULT = default
    old = migrate(BEFORE)
    old.get_model("organisation", "Municipality").objects.create(
        name="Gammel kommune", slug="gammel", number="9999"
    )

    new = migrate(AFTER)
    found = new.get_model("organisation", "Municipality").objects.get(slug="gammel")

    assert found.two_factor_required is default
