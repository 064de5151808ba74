"""The distribution of answers as 100 % stacked bars (``charts.distribution``)."""

from __future__ import annotations

import pytest

from medvirk.results.charts import DistributionRow, colours

from .common import (
    DASH,
    DISTRIBUTION_ROWS,
    NBSP,
    POINTS,
    SUPPRESSED,
    SVG,
    by_id,
    distribution,
    first,
    number,
    parse,
    text_of,
    texts,
    with_ids,
)


def test_distribution_has_one_bar_per_row() -> None:
    assert len(with_ids(parse(distribution()), r"dist-bar-\d+")) == len(DISTRIBUTION_ROWS)


def test_distribution_has_a_segment_per_answered_point() -> None:
    # Zero shares draw nothing: row 4 has one.
    assert len(with_ids(parse(distribution()), r"dist-seg-\d+-\d+")) == 5 + 5 + 4


def test_distribution_segments_fill_the_bar() -> None:
    root = parse(distribution())
    segments = with_ids(root, r"dist-seg-1-\d+")
    outline = [r for r in by_id(root, "dist-bar-1").iter(f"{SVG}rect") if r.get("fill") == "none"]
    total = sum(number(s, "width") for s in segments)
    assert total == pytest.approx(number(outline[0], "width"), abs=0.5)


def test_distribution_segments_are_proportional_to_shares() -> None:
    root = parse(distribution())
    widths = [number(s, "width") for s in with_ids(root, r"dist-seg-1-\d+")]
    shares = DISTRIBUTION_ROWS[1].shares or ()
    assert [w / sum(widths) for w in widths] == pytest.approx(list(shares), abs=0.002)


def test_distribution_segments_follow_each_other_left_to_right() -> None:
    segments = with_ids(parse(distribution()), r"dist-seg-0-\d+")
    ends = [number(s, "x") + number(s, "width") for s in segments[:-1]]
    assert [number(s, "x") for s in segments[1:]] == pytest.approx(ends, abs=0.02)


def test_distribution_segments_have_thin_white_borders() -> None:
    segments = with_ids(parse(distribution()), r"dist-seg-\d+-\d+")
    assert {(s.get("stroke"), s.get("stroke-width")) for s in segments} == {("#ffffff", "1.5")}


def test_distribution_writes_percentages_in_wide_segments_only() -> None:
    root = parse(distribution())
    # Row 1: 2 %, 5 %, 13 %, 42 %, 38 % -> the last three.
    assert texts(by_id(root, "dist-bar-0")) == ["13", "42", "38"]


def test_distribution_writes_a_percentage_at_exactly_seven_percent() -> None:
    root = parse(distribution())
    assert texts(by_id(root, "dist-bar-3")) == ["7", "50", "37"]


def test_distribution_shows_a_percent_scale_over_the_bars() -> None:
    root = parse(distribution())
    assert texts(by_id(root, "dist-scale")) == [f"{p}{NBSP}%" for p in (0, 25, 50, 75, 100)]


def test_distribution_percent_scale_spans_the_bar() -> None:
    root = parse(distribution())
    scale = list(by_id(root, "dist-scale").iter(f"{SVG}text"))
    outline = [r for r in by_id(root, "dist-bar-0").iter(f"{SVG}rect") if r.get("fill") == "none"]
    bar = (number(outline[0], "x"), number(outline[0], "x") + number(outline[0], "width"))
    assert (number(scale[0], "x"), number(scale[-1], "x")) == pytest.approx(bar)


def test_distribution_segment_text_contrasts_at_least_4_5_to_1() -> None:
    root = parse(distribution(rows=[DistributionRow("1", "Jevnt", (0.2,) * 5)]))
    bar = by_id(root, "dist-bar-0")
    fills = [r.get("fill", "") for r in bar.iter(f"{SVG}rect") if r.get("id")]
    inks = [t.get("fill", "") for t in bar.iter(f"{SVG}text")]
    assert min(colours.contrast_ratio(f, i) for f, i in zip(fills, inks, strict=True)) >= 4.5


def test_distribution_writes_dont_know_in_its_column() -> None:
    root = parse(distribution())
    assert text_of(by_id(root, "dist-dk-1")) == f"12{NBSP}%"


def test_distribution_dont_know_column_is_right_of_the_bars() -> None:
    root = parse(distribution())
    outline = [r for r in by_id(root, "dist-bar-0").iter(f"{SVG}rect") if r.get("fill") == "none"]
    bar_end = number(outline[0], "x") + number(outline[0], "width")
    assert number(by_id(root, "dist-dk-0"), "x") > bar_end


def test_distribution_names_the_dont_know_column() -> None:
    assert "Vet ikke" in texts(parse(distribution()))


def test_distribution_legend_carries_point_numbers_and_labels() -> None:
    legend = texts(by_id(parse(distribution()), "dist-legend"))
    assert legend == [item for i, label in enumerate(POINTS, 1) for item in (str(i), label)]


def test_distribution_suppressed_row_is_hatched() -> None:
    root = parse(distribution())
    fills = {r.get("fill") for r in by_id(root, "dist-bar-2").iter(f"{SVG}rect")}
    assert "url(#dist-hatch)" in fills
    assert by_id(root, "dist-hatch").tag == f"{SVG}pattern"


def test_distribution_suppressed_row_shows_a_dash_and_the_reason() -> None:
    root = parse(distribution())
    assert texts(by_id(root, "dist-bar-2")) == [f"{DASH} {SUPPRESSED}"]


def test_distribution_suppressed_row_has_no_segments() -> None:
    assert with_ids(parse(distribution()), r"dist-seg-2-\d+") == []


def test_distribution_suppressed_row_shows_a_dash_for_dont_know() -> None:
    assert text_of(by_id(parse(distribution()), "dist-dk-2")) == DASH


def test_distribution_without_suppressed_rows_needs_no_pattern() -> None:
    svg = distribution(rows=DISTRIBUTION_ROWS[:2])
    assert parse(svg).find(f".//{SVG}pattern") is None


def test_distribution_wraps_a_long_label_onto_two_lines() -> None:
    long = DistributionRow(
        "9", "Jeg får vite hvem jeg kan kontakte når jeg har spørsmål " * 3, (0.2,) * 5
    )
    row = by_id(parse(distribution(rows=[long])), "dist-row-0")
    lines = [t for t in row.findall(f"{SVG}text") if t.get("id") is None]
    assert len(lines) == 2
    assert text_of(lines[1]).endswith("\u2026")


def test_distribution_keeps_a_cut_label_whole_in_its_tooltip() -> None:
    long = DistributionRow(
        "9", "Jeg får vite hvem jeg kan kontakte når jeg har spørsmål " * 3, (0.2,) * 5
    )
    row = by_id(parse(distribution(rows=[long])), "dist-row-0")
    assert text_of(first(row, "title")) == f"9 {long.text}".strip()


def test_distribution_sets_the_statement_number_in_bold() -> None:
    row = by_id(parse(distribution()), "dist-row-0")
    tspan = first(row, ".//tspan")
    assert (tspan.get("font-weight"), tspan.text) == ("bold", "1")


def test_distribution_narrow_puts_labels_above_their_bars() -> None:
    root = parse(distribution(width=320))
    label = by_id(root, "dist-row-0").findall(f"{SVG}text")[0]
    segment = with_ids(root, r"dist-seg-0-\d+")[0]
    assert number(label, "y") < number(segment, "y")


def test_distribution_refuses_shares_of_the_wrong_count() -> None:
    with pytest.raises(ValueError, match="shares"):
        distribution(rows=[DistributionRow("1", "Kort", (0.5, 0.5))])


def test_distribution_refuses_shares_that_do_not_sum_to_one() -> None:
    with pytest.raises(ValueError, match="sum to 1"):
        distribution(rows=[DistributionRow("1", "Kort", (0.5, 0.5, 0.5, 0.0, 0.0))])
