"""Set-up commands for operators."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from medvirk.organisation.models import Municipality, User


@pytest.mark.django_db
def test_municipality_create_makes_an_administrator_who_can_manage_it():
    call_command(
        "municipality_create",
        name="Lier kommune",
        slug="lier",
        number="3312",
        host="medvirk.lier.kommune.no",
        admin="tone",
        admin_name="Tone Lie",
        admin_password="et-langt-passord-2026",
    )

    lier = Municipality.objects.get(slug="lier")
    tone = User.objects.get(username="tone")
    assert tone.has_perm("organisation.manage_structure", lier)
    assert lier.service_areas.get().code == "05"


@pytest.mark.django_db
def test_municipality_create_with_a_bad_number_changes_nothing():
    with pytest.raises(CommandError, match="number"):
        call_command(
            "municipality_create",
            name="Feil kommune",
            slug="feil",
            number="33",
            admin="x",
            admin_password="et-langt-passord-2026",
        )

    assert not Municipality.objects.exists()
    assert not User.objects.exists()
