"""The migration that added two-factor sign-in gives existing municipalities the
installation's default: on under the production settings, off under the demo's."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("organisation", "0003_municipality_results_min_n")]
AFTER = [("organisation", "0004_municipality_two_factor_required")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_the_latest():
    """Whatever the test leaves, the other tests find every migration applied."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


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
