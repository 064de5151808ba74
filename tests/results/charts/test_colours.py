"""Colours that keep their contrast on every scale size (``charts.colours``)."""

from __future__ import annotations

import pytest

from medvirk.results.charts import colours


@pytest.mark.parametrize("count", range(2, 12))
def test_every_scale_size_gets_text_colours_of_at_least_4_5_to_1(count: int) -> None:
    blues = colours.sequential_blues(count)
    assert min(colours.contrast_ratio(b, colours.text_colour_on(b)) for b in blues) >= 4.5


def test_distribution_blues_get_darker_with_the_scale_point() -> None:
    blues = colours.sequential_blues(7)
    lightness = [colours.contrast_ratio(b, "#000000") for b in blues]
    assert lightness == sorted(lightness, reverse=True)
