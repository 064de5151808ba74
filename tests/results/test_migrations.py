"""Upgrading to version 2 of the disclosure control takes older figures out until recomputed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("results", "0001_initial")]
AFTER = [("results", "0002_protection_version")]


# Migrating needs a transactional test. serialized_rollback, as the other transactional tests
# have, so that no test after this one finds the database without its initial rows.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_figures_computed_before_the_upgrade_are_taken_out(world, questionnaires, answered):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    assert old.get_model("results", "ResultCell").objects.exclude(figures=None).exists()

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps

    cells = new.get_model("results", "ResultCell").objects
    sets = new.get_model("results", "ResultSet").objects
    assert cells.exists()
    assert not cells.exclude(figures=None).exists()
    assert set(sets.values_list("protection", "state")) == {(1, "ready")}
