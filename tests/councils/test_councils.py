"""Making the councils: one a unit."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from medvirk.councils import services


def test_a_unit_has_one_council(world, council):
    with pytest.raises(ValidationError):
        services.council_create(actor=None, unit=world.unit)
