"""The importance–performance scatter (``charts.ipa``)."""

from __future__ import annotations

import pytest

from medvirk.results.charts import IpaPoint, typography

from .common import (
    IPA_POINTS,
    QUADRANTS,
    SVG,
    by_id,
    first,
    ipa,
    ipa_scales,
    number,
    parse,
    text_of,
    texts,
    with_ids,
)


def test_ipa_draws_a_marker_per_point() -> None:
    assert len(with_ids(parse(ipa()), r"ipa-point-\d+")) == len(IPA_POINTS)


def test_ipa_labels_each_marker_with_its_number() -> None:
    root = parse(ipa())
    assert [texts(g) for g in with_ids(root, r"ipa-point-\d+")] == [["1"], ["2"], ["3"], ["4"]]


def test_ipa_concentrate_point_is_a_filled_triangle() -> None:
    polygon = first(by_id(parse(ipa()), "ipa-point-1"), "polygon")
    assert len(polygon.get("points", "").split()) == 3
    assert polygon.get("fill") != "none"


def test_ipa_other_points_are_circles() -> None:
    root = parse(ipa())
    shapes = [g.find(f"{SVG}circle") is not None for g in with_ids(root, r"ipa-point-[023]")]
    assert shapes == [True, True, True]


def test_ipa_marker_sits_at_its_values() -> None:
    root = parse(ipa())
    at_x, at_y = ipa_scales(root)
    circle = first(by_id(root, "ipa-point-0"), "circle")
    place = (number(circle, "cx"), number(circle, "cy"))
    assert place == pytest.approx((at_x(4.6), at_y(4.3)), abs=0.01)


def test_ipa_diagonal_passes_through_the_centre_with_slope_one() -> None:
    root = parse(ipa())
    at_x, at_y = ipa_scales(root)
    # Back from drawing to data: the scales are linear, so two points give each inverse.
    x_unit, y_unit = at_x(1) - at_x(0), at_y(1) - at_y(0)
    line = by_id(root, "ipa-diagonal")
    ax, bx = ((number(line, k) - at_x(0)) / x_unit for k in ("x1", "x2"))
    ay, by = ((number(line, k) - at_y(0)) / y_unit for k in ("y1", "y2"))
    slope, offset = (by - ay) / (bx - ax), ay - (ax - 4.0) - 3.6
    assert (slope, offset) == pytest.approx((1.0, 0.0), abs=1e-3)


def test_ipa_diagonal_reaches_the_plot_edges() -> None:
    root = parse(ipa())
    at_x, at_y = ipa_scales(root)
    line = by_id(root, "ipa-diagonal")
    # Through (4,0; 3,6) with slope 1 the line enters at x 2,9 (y 2,5) and leaves at y 5,0.
    ends = [number(line, k) for k in ("x1", "y1", "x2", "y2")]
    assert ends == pytest.approx([at_x(2.9), at_y(2.5), at_x(5.0), at_y(4.6)], abs=0.01)


def test_ipa_diagonal_is_clipped_to_the_plot() -> None:
    root = parse(ipa())
    frame = [r for r in root.findall(f"{SVG}rect") if r.get("fill") == "none"][0]
    left, top = number(frame, "x"), number(frame, "y")
    right, bottom = left + number(frame, "width"), top + number(frame, "height")
    line = by_id(root, "ipa-diagonal")
    ends = [(number(line, "x1"), number(line, "y1")), (number(line, "x2"), number(line, "y2"))]
    assert all(
        left - 0.01 <= x <= right + 0.01 and top - 0.01 <= y <= bottom + 0.01 for x, y in ends
    )


def test_ipa_diagonal_has_its_label() -> None:
    assert text_of(by_id(parse(ipa()), "ipa-diagonal-label")) == "Lik prioritet"


def test_ipa_crosshair_is_dashed_through_the_centre() -> None:
    root = parse(ipa())
    dashed = [line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")]
    at_x, _ = ipa_scales(root)
    vertical = [line for line in dashed if line.get("x1") == line.get("x2")]
    assert len(dashed) == 2
    assert number(vertical[0], "x1") == pytest.approx(at_x(4.0), abs=0.01)


def test_ipa_names_every_quadrant() -> None:
    root = parse(ipa())
    names = {key: " ".join(texts(by_id(root, f"ipa-quadrant-{key}"))) for key in QUADRANTS}
    assert names == QUADRANTS


def test_ipa_concentrate_is_bottom_right() -> None:
    root = parse(ipa())
    vertical, horizontal = [
        line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")
    ]
    name = first(by_id(root, "ipa-quadrant-concentrate"), "text")
    x, y = number(name, "x"), number(name, "y")
    assert x > number(vertical, "x1")
    assert y > number(horizontal, "y1")


def test_ipa_overkill_is_top_left() -> None:
    root = parse(ipa())
    vertical, horizontal = [
        line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")
    ]
    name = first(by_id(root, "ipa-quadrant-overkill"), "text")
    x, y = number(name, "x"), number(name, "y")
    assert x < number(vertical, "x1")
    assert y < number(horizontal, "y1")


def test_ipa_coinciding_labels_are_moved_apart() -> None:
    twins = [IpaPoint("5", 4.4, 3.1), IpaPoint("12", 4.4, 3.1), IpaPoint("7", 4.4, 3.1)]
    root = parse(ipa(points=twins))
    labels = [first(g, "text") for g in with_ids(root, r"ipa-point-\d+")]
    spots = {(number(t, "x"), number(t, "y")) for t in labels}
    assert len(spots) == 3


def test_ipa_coinciding_labels_do_not_overlap() -> None:
    twins = [IpaPoint(n, 4.4, 3.1) for n in ("5", "12", "7", "30")]
    root = parse(ipa(points=twins, width=320))
    boxes = [
        (
            number(t, "x"),
            number(t, "y"),
            number(t, "x") + typography.text_width(text_of(t), 14, True),
        )
        for g in with_ids(root, r"ipa-point-\d+")
        for t in g.iter(f"{SVG}text")
    ]
    clashes = [
        (a, b)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if abs(a[1] - b[1]) < 14 and a[0] < b[2] and b[0] < a[2]
    ]
    assert clashes == []


def test_ipa_numbers_pushed_away_from_their_marker_get_a_leader_line() -> None:
    # Ten numbers cannot all sit right next to one spot: the outer ones get a leader.
    crowd = [IpaPoint(str(n), 4.4, 3.1) for n in range(1, 11)]
    groups = with_ids(parse(ipa(points=crowd, width=320)), r"ipa-point-\d+")
    assert [g.find(f"{SVG}line") is not None for g in groups].count(True) >= 2


def test_ipa_numbers_next_to_their_marker_have_no_leader_line() -> None:
    assert by_id(parse(ipa()), "ipa-point-0").find(f"{SVG}line") is None


def test_ipa_placement_is_deterministic() -> None:
    twins = [IpaPoint("5", 4.4, 3.1), IpaPoint("12", 4.4, 3.1)]
    assert ipa(points=twins) == ipa(points=twins)


def test_ipa_tooltip_carries_the_statement() -> None:
    assert text_of(first(by_id(parse(ipa()), "ipa-point-0"), "title")) == "1 Respekt"


def test_ipa_ticks_use_a_decimal_comma() -> None:
    assert texts(by_id(parse(ipa()), "ipa-x-ticks")) == ["2,5", "3,0", "3,5", "4,0", "4,5", "5,0"]


def test_ipa_names_both_axes() -> None:
    assert texts(by_id(parse(ipa()), "ipa-axis-names")) == ["Viktighet", "Tilfredshet"]


def test_ipa_refuses_missing_quadrant_names() -> None:
    with pytest.raises(ValueError, match="quadrant_labels"):
        ipa(quadrant_labels={"concentrate": "Her"})


def test_ipa_refuses_a_point_outside_the_domains() -> None:
    with pytest.raises(ValueError, match="outside"):
        ipa(points=[IpaPoint("1", 6.0, 3.0)])
