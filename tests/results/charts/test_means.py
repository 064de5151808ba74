"""Means with confidence intervals (``charts.means``)."""

from __future__ import annotations

import pytest

from medvirk.results.charts import MeanRow

from .common import (
    DASH,
    MEAN_ROWS,
    SUPPRESSED,
    SVG,
    by_id,
    first,
    means,
    number,
    parse,
    text_of,
    texts,
    tick_scale,
    with_ids,
)


def test_means_draw_a_dot_per_reported_row() -> None:
    root = parse(means())
    dots = [c for g in with_ids(root, r"means-mark-\d+") for c in g.iter(f"{SVG}circle")]
    assert len(dots) == 3  # row 3 is suppressed


def test_means_dot_sits_at_the_mean() -> None:
    root = parse(means())
    at = tick_scale(root, "means-axis")
    dot = first(by_id(root, "means-mark-0"), "circle")
    assert number(dot, "cx") == pytest.approx(at(4.2), abs=0.01)


def test_means_whisker_spans_the_interval() -> None:
    root = parse(means())
    at = tick_scale(root, "means-axis")
    line = first(by_id(root, "means-mark-0"), "line")
    ends = (number(line, "x1"), number(line, "x2"))
    assert ends == pytest.approx((at(4.0), at(4.4)), abs=0.01)


def test_means_without_an_interval_have_no_whisker() -> None:
    assert by_id(parse(means()), "means-mark-3").findall(f"{SVG}line") == []


def test_means_write_the_value_with_a_decimal_comma() -> None:
    assert text_of(by_id(parse(means()), "means-value-0")) == "4,2"


def test_means_follow_the_decimal_argument() -> None:
    assert text_of(by_id(parse(means(decimal=".")), "means-value-0")) == "4.2"


def test_means_write_the_value_next_to_the_dot() -> None:
    root = parse(means())
    dot = first(by_id(root, "means-mark-1"), "circle")
    value = by_id(root, "means-value-1")
    assert number(value, "x") == number(dot, "cx")


def test_means_draw_the_comparison_as_a_diamond() -> None:
    polygons = by_id(parse(means()), "means-mark-0").findall(f"{SVG}polygon")
    assert len(polygons) == 1
    assert len(polygons[0].get("points", "").split()) == 4


def test_means_diamond_sits_at_the_comparison() -> None:
    root = parse(means())
    at = tick_scale(root, "means-axis")
    polygon = first(by_id(root, "means-mark-0"), "polygon")
    xs = [float(p.split(",")[0]) for p in polygon.get("points", "").split()]
    assert (min(xs) + max(xs)) / 2 == pytest.approx(at(4.1), abs=0.01)


def test_means_write_the_comparison_value() -> None:
    assert text_of(by_id(parse(means()), "means-comparison-0")) == "4,1"


def test_means_only_compared_rows_have_a_diamond() -> None:
    assert by_id(parse(means()), "means-mark-1").findall(f"{SVG}polygon") == []


def test_means_legend_explains_the_diamond() -> None:
    legend = by_id(parse(means()), "means-legend")
    assert "Hele tjenesteområdet" in texts(legend)
    assert legend.find(f".//{SVG}polygon") is not None


def test_means_legend_explains_the_dot() -> None:
    legend = by_id(parse(means()), "means-legend")
    assert "Gjennomsnitt med 95 % konfidensintervall" in " ".join(texts(legend))


def test_means_without_comparisons_leave_the_diamond_out_of_the_legend() -> None:
    root = parse(means(rows=MEAN_ROWS[1:]))
    assert "Hele tjenesteområdet" not in texts(root)


def test_means_tick_at_every_scale_point() -> None:
    assert texts(by_id(parse(means()), "means-axis")) == ["1", "2", "3", "4", "5"]


def test_means_grid_line_at_every_scale_point() -> None:
    root = parse(means(rows=MEAN_ROWS[:1]))
    at = tick_scale(root, "means-axis")
    grid = by_id(root, "means-grid").findall(f"{SVG}line")
    assert [number(g, "x1") for g in grid] == pytest.approx([at(v) for v in range(1, 6)])


def test_means_suppressed_row_is_hatched_with_a_dash_and_the_reason() -> None:
    row = by_id(parse(means()), "means-row-2")
    hatched = [r for r in row.iter(f"{SVG}rect") if r.get("fill") == "url(#means-hatch)"]
    assert len(hatched) == 1
    assert f"{DASH} {SUPPRESSED}" in texts(row)


def test_means_refuse_a_mean_outside_the_scale() -> None:
    with pytest.raises(ValueError, match="outside the scale"):
        means(rows=[MeanRow("1", "Kort", 5.5)])
