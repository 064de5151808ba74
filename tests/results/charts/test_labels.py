"""Where the scatter's numbers go (``charts.labels.place_labels``), on cases drawn by hand.

What a reader checks on the chart: no number lies on another number, on another point's
marker or on an obstacle (a quadrant name); none leaves the plot; each stands right beside
its point, or, pushed further out by a crowd, is tied to it by a leader line.
"""

from __future__ import annotations

import math

import pytest

from medvirk.results.charts.labels import Label, place_labels

FRAME = (0.0, 0.0, 400.0, 300.0)
# The largest marker drawn (the triangle) reaches 9 from its point each way.
MARKER = 9.0
BESIDE = 16.0  # a number without a leader line stands at most this far from its point


def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def marker(x: float, y: float) -> tuple[float, float, float, float]:
    return (x - MARKER, y - MARKER, x + MARKER, y + MARKER)


def inside(box: tuple[float, ...], frame: tuple[float, ...]) -> bool:
    return frame[0] <= box[0] and frame[1] <= box[1] and box[2] <= frame[2] and box[3] <= frame[3]


def distance(point: tuple[float, float], box: tuple[float, ...]) -> float:
    """From a point to the nearest point of a box (0 inside it)."""
    dx = max(box[0] - point[0], 0.0, point[0] - box[2])
    dy = max(box[1] - point[1], 0.0, point[1] - box[3])
    return math.hypot(dx, dy)


def clashes(labels: list[Label]) -> list[tuple[int, int]]:
    return [
        (i, j)
        for i, a in enumerate(labels)
        for j, b in enumerate(labels)
        if i < j and overlap(a.box, b.box)
    ]


def on_other_markers(points: list[tuple[float, float]], labels: list[Label]) -> list[int]:
    return [
        i
        for i, label in enumerate(labels)
        for j, (x, y) in enumerate(points)
        if i != j and overlap(label.box, marker(x, y))
    ]


def test_a_lone_point_has_its_number_right_beside_it_on_the_right():
    (label,) = place_labels([(100.0, 100.0)], [10.0], frame=FRAME)

    assert label.leader is None
    assert 0 < distance((100.0, 100.0), label.box) <= BESIDE
    assert label.box[0] > 100.0
    assert label.box[1] < 100.0 < label.box[3]


def test_a_number_never_covers_its_own_point():
    points = [(100.0, 100.0), (390.0, 150.0), (200.0, 5.0)]

    labels = place_labels(points, [10.0, 30.0, 20.0], frame=FRAME)

    assert min(distance(p, label.box) for p, label in zip(points, labels, strict=True)) > 0


def test_a_point_at_the_right_edge_has_its_number_inside_the_plot_on_its_left():
    (label,) = place_labels([(395.0, 150.0)], [20.0], frame=FRAME)

    assert inside(label.box, FRAME)
    assert label.box[2] < 395.0
    assert distance((395.0, 150.0), label.box) <= BESIDE


def test_a_point_in_the_top_right_corner_has_its_number_inside_the_plot():
    (label,) = place_labels([(398.0, 2.0)], [20.0], frame=FRAME)

    assert inside(label.box, FRAME)
    assert distance((398.0, 2.0), label.box) <= BESIDE


def test_a_number_keeps_off_an_obstacle_beside_its_point():
    name = (105.0, 80.0, 220.0, 120.0)  # a quadrant name to the right of the point

    (label,) = place_labels([(100.0, 100.0)], [10.0], frame=FRAME, obstacles=[name])

    assert not overlap(label.box, name)
    assert distance((100.0, 100.0), label.box) <= BESIDE


def test_numbers_of_coinciding_points_overlap_nothing():
    points = [(200.0, 150.0)] * 4

    labels = place_labels(points, [10.0, 20.0, 10.0, 20.0], frame=FRAME)

    assert clashes(labels) == []
    assert on_other_markers(points, labels) == []
    assert all(inside(label.box, FRAME) for label in labels)


def test_a_grid_of_close_points_gets_numbers_that_overlap_nothing():
    points = [(150.0 + 22 * i, 100.0 + 22 * j) for j in range(3) for i in range(3)]

    labels = place_labels(points, [10.0] * 9, frame=FRAME)

    assert clashes(labels) == []
    assert on_other_markers(points, labels) == []
    assert all(distance(p, label.box) > 0 for p, label in zip(points, labels, strict=True))
    assert all(inside(label.box, FRAME) for label in labels)


def test_a_crowd_in_a_corner_keeps_every_number_inside_the_plot():
    points = [(390.0, 290.0)] * 6

    labels = place_labels(points, [10.0] * 6, frame=FRAME)

    assert all(inside(label.box, FRAME) for label in labels)
    assert clashes(labels) == []


def test_numbers_pushed_out_of_a_crowd_get_a_leader_from_the_marker_to_the_number():
    points = [(200.0, 150.0)] * 10

    labels = place_labels(points, [20.0] * 10, frame=FRAME)

    tied = [(label.leader, label.box) for label in labels if label.leader is not None]
    starts = [math.hypot(x - 200.0, y - 150.0) for ((x, y), _end), _box in tied]
    ends = [distance(end, box) for (_start, end), box in tied]
    assert len(tied) >= 2
    assert starts == pytest.approx([MARKER] * len(tied))  # at the marker's edge
    assert ends == [0.0] * len(tied)  # on the number's box


def test_numbers_without_a_leader_stand_beside_their_point_and_the_others_not_far():
    points = [(200.0, 150.0)] * 10

    labels = place_labels(points, [20.0] * 10, frame=FRAME)

    near = [distance((200.0, 150.0), label.box) for label in labels if label.leader is None]
    far = [distance((200.0, 150.0), label.box) for label in labels if label.leader is not None]
    assert near
    assert max(near) <= BESIDE
    assert max(far) <= 120.0
