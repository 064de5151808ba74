"""Where the numbers of an importance–performance scatter's points go.

Each number goes beside its marker, on the first free spot of a fixed list: never on another
number, marker or obstacle (the quadrant names, the diagonal's label), inside the plot, and
the same way every time. Crowded points push their numbers further out; a thin leader line
then shows whose number it is. Pure geometry: no SVG, no text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .layout import Box, free
from .style import SMALL_LINE

MARKER_HALF = 10  # a marker (circle or triangle) lies within this of its point, each way

Point = tuple[float, float]


@dataclass(frozen=True)
class Label:
    """Where a point's number goes, and the leader line to it when it stands far out."""

    box: Box
    leader: tuple[Point, Point] | None


def marker_box(x: float, y: float) -> Box:
    return (x - MARKER_HALF, y - MARKER_HALF, x + MARKER_HALF, y + MARKER_HALF)


def place_labels(
    points: Sequence[Point],
    widths: Sequence[float],
    *,
    frame: Box,
    obstacles: Sequence[Box] = (),
) -> list[Label]:
    """A label per point, ``widths[i]`` wide and a line of small text high, in order: the
    first point chooses first. ``frame`` is the plot that labels stay inside."""
    markers = [marker_box(x, y) for x, y in points]
    placed: list[Box] = []
    labels: list[Label] = []
    for index, ((x, y), width) in enumerate(zip(points, widths, strict=True)):
        others = [b for i, b in enumerate(markers) if i != index]
        box, far = _place(x, y, width, frame, [*others, *obstacles, *placed])
        placed.append(box)
        labels.append(Label(box, _leader(x, y, box) if far else None))
    return labels


def _spots(x: float, y: float, label_w: float) -> list[tuple[float, float, bool]]:
    """Where a point's number may go (its left end and middle), nearest first, in rings
    around the marker; True for spots far enough out to need a leader line.

    Outer rings also try the directions halfway between the inner ones, so that a leader to
    an outer number can run out between the inner numbers instead of through them.
    """
    half_h = SMALL_LINE / 2
    main = (0, 180, 270, 90, 315, 45, 225, 135)
    between = tuple(angle + 22.5 for angle in main)
    spots: list[tuple[float, float, bool]] = []
    for ring in range(8):
        d = 12 + ring * 14
        for angle in main if ring == 0 else between + main:
            a = math.radians(angle)
            centre_x = x + math.cos(a) * (d + label_w / 2)
            centre_y = y + math.sin(a) * (d + half_h)
            spots.append((centre_x - label_w / 2, centre_y, ring > 0))
    return spots


def _leader(x: float, y: float, box: Box) -> tuple[Point, Point]:
    """A leader line from a marker's edge to the nearest point of its label's box."""
    ex, ey = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])
    distance = math.hypot(ex - x, ey - y) or 1.0
    return (x + (ex - x) * 9 / distance, y + (ey - y) * 9 / distance), (ex, ey)


def _crosses(x: float, y: float, box: Box, obstacles: Sequence[Box]) -> bool:
    """Whether the leader to ``box`` runs through an obstacle: "2—12" reads as a range."""
    (x1, y1), (x2, y2) = _leader(x, y, box)
    samples = [(x1 + (x2 - x1) * k / 8, y1 + (y2 - y1) * k / 8) for k in range(9)]
    # (Markers on the point itself are left out: a leader has to start among them.)
    around = [o for o in obstacles if not (o[0] <= x <= o[2] and o[1] <= y <= o[3])]
    return any(o[0] <= sx <= o[2] and o[1] <= sy <= o[3] for sx, sy in samples for o in around)


def _place(
    x: float, y: float, label_w: float, frame: Box, obstacles: Sequence[Box]
) -> tuple[Box, bool]:
    """The box for a point's number at the first free spot around its marker, and whether
    it stands far enough out to need a leader line (the first spot if none is free)."""
    half_h = SMALL_LINE / 2
    candidates = [
        ((sx - 1, sy - half_h, sx + label_w + 1, sy + half_h), far)
        for sx, sy, far in _spots(x, y, label_w)
    ]
    for box, far in candidates:
        if free(box, frame, obstacles) and not (far and _crosses(x, y, box, obstacles)):
            return box, far
    # Nowhere clean: a free spot with a leader across another number, else the nearest.
    clear = [(box, far) for box, far in candidates if free(box, frame, obstacles)]
    return (clear or candidates)[0]
