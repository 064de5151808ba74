"""Invariants the database itself holds, and the validation that explains them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from medvirk.core.colours import contrast_ratio
from medvirk.organisation.catalogue import BUILT_IN_SERVICE_TYPES
from medvirk.organisation.models import (
    Municipality,
    Role,
    RoleAssignment,
    ServiceType,
    validate_text_colour,
)


def test_database_refuses_a_unit_role_without_a_unit(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(
            user=world.people["nobody"], municipality=world.alpha, role=Role.UNIT_MANAGER
        )


def test_database_refuses_a_second_municipality_on_the_same_host(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Municipality.objects.create(name="Kopi", slug="kopi", number="9999", host="alpha.test")


def test_several_municipalities_may_leave_host_empty(db):
    Municipality.objects.create(name="En", slug="en", number="0001")
    Municipality.objects.create(name="To", slug="to", number="0002")

    assert Municipality.objects.filter(host="").count() == 2


def test_built_in_catalogue_in_the_database_matches_the_code(db):
    codes = set(ServiceType.objects.filter(municipality=None).values_list("code", flat=True))

    assert codes == set(BUILT_IN_SERVICE_TYPES)


def test_contrast_ratio_of_black_on_white_is_21():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)


@pytest.mark.parametrize("colour", ["#1f4e79", "#005a30", "#000000"])
def test_dark_brand_colours_are_accepted(colour):
    validate_text_colour(colour)


@pytest.mark.parametrize("colour", ["#ffcc00", "#ffffff", "#7fa7d9", "blue", "#12345"])
def test_light_or_malformed_brand_colours_are_refused(colour):
    with pytest.raises(ValidationError):
        validate_text_colour(colour)
