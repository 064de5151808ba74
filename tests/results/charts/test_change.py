"""Change since the previous round as diverging bars (``charts.change``)."""

from __future__ import annotations

import pytest

from medvirk.results import charts
from medvirk.results.charts import ChangeRow

from .common import (
    DASH,
    MINUS,
    NBSP,
    SUPPRESSED,
    SVG,
    by_id,
    change,
    first,
    number,
    parse,
    text_of,
    texts,
    tick_scale,
    with_ids,
)


def test_change_draws_a_bar_per_reported_row() -> None:
    assert len(with_ids(parse(change()), r"change-bar-\d+")) == 3


def test_change_writes_a_positive_value_with_a_plus() -> None:
    assert text_of(by_id(parse(change()), "change-value-0")).startswith("+0,3")


def test_change_writes_a_negative_value_with_a_minus_sign() -> None:
    assert text_of(by_id(parse(change()), "change-value-1")) == f"{MINUS}0,2"


def test_change_marks_a_significant_change() -> None:
    assert text_of(by_id(parse(change()), "change-value-3")) == f"{MINUS}0,6{NBSP}*"


def test_change_sets_a_significant_change_in_bold() -> None:
    assert by_id(parse(change()), "change-value-0").get("font-weight") == "bold"


def test_change_sets_other_changes_in_regular_weight() -> None:
    assert by_id(parse(change()), "change-value-1").get("font-weight") is None


def test_change_legend_explains_the_marker() -> None:
    assert texts(by_id(parse(change()), "change-legend")) == ["*", "Sikker endring"]


def test_change_negative_bar_lies_left_of_zero() -> None:
    root = parse(change())
    zero = first(by_id(root, "change-zero"), "line")
    bar = by_id(root, "change-bar-1")
    assert number(bar, "x") + number(bar, "width") == pytest.approx(number(zero, "x1"), abs=0.01)


def test_change_bar_length_follows_the_change() -> None:
    root = parse(change())
    at = tick_scale(root, "change-axis")
    bar = by_id(root, "change-bar-0")
    assert number(bar, "width") == pytest.approx(at(0.3) - at(0), abs=0.01)


def test_change_whisker_spans_the_interval() -> None:
    root = parse(change())
    at = tick_scale(root, "change-axis")
    line = first(by_id(root, "change-mark-1"), "line")
    ends = (number(line, "x1"), number(line, "x2"))
    assert ends == pytest.approx((at(-0.5), at(0.1)), abs=0.01)


def test_change_axis_runs_over_the_span() -> None:
    ticks = [f"{MINUS}1,0", f"{MINUS}0,5", "0", "+0,5", "+1,0"]
    assert texts(by_id(parse(change()), "change-axis")) == ticks


def test_change_axis_widens_for_a_change_beyond_the_span() -> None:
    root = parse(change(rows=[ChangeRow("1", "Stor", 1.2, 0.9, 1.4)]))
    at = tick_scale(root, "change-axis")
    bar = by_id(root, "change-bar-0")
    assert number(bar, "x") + number(bar, "width") == pytest.approx(at(1.2), abs=0.01)


def test_change_suppressed_row_is_hatched_with_a_dash_and_the_reason() -> None:
    row = by_id(parse(change()), "change-row-2")
    hatched = [r for r in row.iter(f"{SVG}rect") if r.get("fill") == "url(#change-hatch)"]
    assert len(hatched) == 1
    assert f"{DASH} {SUPPRESSED}" in texts(row)


def test_change_interval_touching_zero_is_not_significant() -> None:
    assert not charts.is_significant(ChangeRow("1", "Kant", 0.2, 0.0, 0.4))


def test_change_without_an_interval_is_not_significant() -> None:
    assert not charts.is_significant(ChangeRow("1", "Uten", 0.9))
