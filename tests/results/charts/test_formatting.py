"""Numbers written the Norwegian way (``charts.formatting``)."""

from __future__ import annotations

from medvirk.results import charts

from .common import MINUS, NBSP


def test_numbers_use_a_decimal_comma() -> None:
    assert charts.format_number(4.2) == "4,2"


def test_numbers_round_half_up() -> None:
    assert charts.format_number(4.25) == "4,3"


def test_negative_numbers_use_a_minus_sign() -> None:
    assert charts.format_number(-0.2, signed=True) == f"{MINUS}0,2"


def test_signed_positive_numbers_get_a_plus() -> None:
    assert charts.format_number(0.3, signed=True) == "+0,3"


def test_a_change_that_rounds_to_nothing_has_no_sign() -> None:
    assert charts.format_number(-0.04, signed=True) == "0,0"


def test_percentages_have_a_no_break_space() -> None:
    assert charts.format_percent(0.38) == f"38{NBSP}%"


def test_percentages_round_half_up_despite_binary_fractions() -> None:
    assert charts.format_percent(0.285) == f"29{NBSP}%"
