"""The municipality's council settings: the seed's rules to start with, checked when changed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from medvirk.councils import selectors, services


def test_settings_start_with_the_seeds_rules(world):
    found = selectors.settings_for(world.alpha)

    assert (found.max_representatives, found.term_years, found.max_chairs) == (5, 2, 1)
    assert (found.max_meetings, found.term_warning_months) == (5, 2)
    assert "Brukerrådet behandler ikke enkeltsaker" in found.rules
    assert "Budsjett" in found.theme_list


def test_settings_refuse_more_chairs_than_representatives(world):
    with pytest.raises(ValidationError) as refused:
        services.council_settings_update(
            actor=None, municipality=world.alpha, data={"max_representatives": 1, "max_chairs": 2}
        )

    assert "max_chairs" in refused.value.message_dict
