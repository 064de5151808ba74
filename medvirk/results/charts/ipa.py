"""Importance–performance scatter: statements by importance (x) and performance (y), cut
at a centre into four quadrants."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from . import marks, svg
from .formatting import format_number, nice_ticks
from .labels import Label, marker_box, place_labels
from .layout import Box, free
from .style import (
    AXIS,
    ELLIPSIS,
    FONT,
    GRID,
    LINE,
    MARGIN,
    MUTED,
    NARROW,
    SMALL,
    SMALL_LINE,
    WHITE,
)
from .typography import baseline, esc, text_width, wrap

QUADRANTS = ("concentrate", "keep_up", "low_priority", "overkill")
# Quadrants whose names share a line when both stand outside the plot (above, or below it).
PARTNERS = {
    "overkill": "keep_up",
    "keep_up": "overkill",
    "low_priority": "concentrate",
    "concentrate": "low_priority",
}

# A quadrant's name in lines, and where it fits inside the plot (None: outside it).
Names = dict[str, tuple[list[str], Box | None]]


@dataclass(frozen=True)
class IpaPoint:
    number: str
    importance: float  # x
    performance: float  # y
    text: str = ""  # the statement, shown as a tooltip on screen


def is_concentrate(point: IpaPoint, centre_x: float, centre_y: float) -> bool:
    """More important than the centre and performing worse: where effort should go."""
    return point.importance > centre_x and point.performance < centre_y


@dataclass(frozen=True)
class _Plot:
    """The plot area, its data domains and ticks; ``px`` and ``py`` place a value in it."""

    x_domain: tuple[float, float]
    y_domain: tuple[float, float]
    left: float
    right: float
    top: float
    plot_h: float
    x_ticks: list[float]
    x_tick_labels: list[str]
    y_ticks: list[float]
    y_tick_labels: list[str]

    @property
    def plot_w(self) -> float:
        return self.right - self.left

    @property
    def bottom(self) -> float:
        return self.top + self.plot_h

    @property
    def ticks_bottom(self) -> float:
        return self.bottom + 8 + SMALL_LINE

    @property
    def frame(self) -> Box:
        return (self.left, self.top, self.right, self.bottom)

    def px(self, value: float) -> float:
        (dx0, dx1) = self.x_domain
        return self.left + (value - dx0) / (dx1 - dx0) * self.plot_w

    def py(self, value: float) -> float:
        (dy0, dy1) = self.y_domain
        return self.bottom - (value - dy0) / (dy1 - dy0) * self.plot_h


def ipa_scatter(
    points: Sequence[IpaPoint],
    *,
    centre_x: float,
    centre_y: float,
    x_domain: tuple[float, float],
    y_domain: tuple[float, float],
    quadrant_labels: Mapping[str, str],
    x_label: str,
    y_label: str,
    diagonal_label: str,
    title: str,
    description: str,
    id_prefix: str,
    width: int = 720,
    decimal: str = ",",
) -> str:
    """Importance (x) against performance (y), cut at the centre into four quadrants.

    ``quadrant_labels`` names them: "concentrate" (important and performing badly: bottom
    right), "keep_up" (top right), "low_priority" (bottom left), "overkill" (top left).
    Points to concentrate on are filled triangles, the others circles; each carries its
    statement number. The iso-priority diagonal runs through the centre with slope 1.
    """
    svg.check(id_prefix, width)
    centre = (centre_x, centre_y)
    _validate(points, quadrant_labels, centre=centre, x_domain=x_domain, y_domain=y_domain)
    plot, names = _lay_out(
        points,
        quadrant_labels,
        centre=centre,
        x_domain=x_domain,
        y_domain=y_domain,
        width=width,
        decimal=decimal,
    )
    cx, cy = plot.px(centre_x), plot.py(centre_y)
    xy = [(plot.px(p.importance), plot.py(p.performance)) for p in points]
    body = _background(plot, cx, cy, id_prefix)
    names_markup, taken = _quadrant_name_markup(names, plot, id_prefix)
    body += names_markup
    body += _crosshair(plot, cx, cy)
    markers = [marker_box(x, y) for x, y in xy]
    diagonal, diagonal_boxes = _diagonal(plot, centre, diagonal_label, markers + taken, id_prefix)
    body += diagonal
    body += _points(points, xy, plot, taken + diagonal_boxes, centre=centre, id_prefix=id_prefix)
    body += _tick_labels(plot, id_prefix)
    axis_names, height = _axis_names(plot, names, x_label, y_label, id_prefix=id_prefix)
    body.append(axis_names)
    return svg.document(
        width=width,
        height=height,
        id_prefix=id_prefix,
        title=title,
        description=description,
        body=body,
    )


def _validate(
    points: Sequence[IpaPoint],
    quadrant_labels: Mapping[str, str],
    *,
    centre: tuple[float, float],
    x_domain: tuple[float, float],
    y_domain: tuple[float, float],
) -> None:
    missing = set(QUADRANTS) - set(quadrant_labels)
    if missing:
        raise ValueError(f"quadrant_labels lacks {sorted(missing)}")
    (dx0, dx1), (dy0, dy1) = x_domain, y_domain
    if dx1 <= dx0 or dy1 <= dy0:
        raise ValueError("a domain runs from low to high")
    if not (dx0 <= centre[0] <= dx1 and dy0 <= centre[1] <= dy1):
        raise ValueError("the centre lies outside the domains")
    for point in points:
        if not (dx0 <= point.importance <= dx1 and dy0 <= point.performance <= dy1):
            raise ValueError(f"point {point.number} lies outside the domains")


def _lay_out(
    points: Sequence[IpaPoint],
    quadrant_labels: Mapping[str, str],
    *,
    centre: tuple[float, float],
    x_domain: tuple[float, float],
    y_domain: tuple[float, float],
    width: int,
    decimal: str,
) -> tuple[_Plot, Names]:
    """The plot's place and ticks, and the quadrant names: those that find no room inside
    the plot stand outside it, and those above push the plot down."""
    (dx0, dx1), (dy0, dy1) = x_domain, y_domain
    narrow = width < NARROW
    x_ticks, x_decimals = nice_ticks(dx0, dx1, 5 if narrow else 6)
    y_ticks, y_decimals = nice_ticks(dy0, dy1, 5 if narrow else 6)
    x_tick_labels = [format_number(t, x_decimals, decimal) for t in x_ticks]
    y_tick_labels = [format_number(t, y_decimals, decimal) for t in y_ticks]
    left = MARGIN + LINE + 6 + max(text_width(t, SMALL) for t in y_tick_labels) + 8
    right = width - MARGIN - text_width(x_tick_labels[-1], SMALL) / 2
    plot_w = right - left
    plot_h = plot_w * (1.0 if narrow else 0.72)
    # Where the names go depends on the points only relative to the plot's top.
    fx, fy = (centre[0] - dx0) / (dx1 - dx0), (dy1 - centre[1]) / (dy1 - dy0)
    relative = [
        (
            left + (p.importance - dx0) / (dx1 - dx0) * plot_w,
            (dy1 - p.performance) / (dy1 - dy0) * plot_h,
        )
        for p in points
    ]
    names = _quadrant_names(
        quadrant_labels,
        plot=(left, 0, right, plot_h),
        centre=(left + fx * plot_w, fy * plot_h),
        markers=[marker_box(x, y) for x, y in relative],
    )
    outside_top = [names[k] for k in ("overkill", "keep_up") if names[k][1] is None]
    top_band = max((len(lines) * SMALL_LINE + 6 for lines, _ in outside_top), default=0)
    top = MARGIN + max(SMALL_LINE / 2, top_band)
    plot = _Plot(
        x_domain,
        y_domain,
        left,
        right,
        top,
        plot_h,
        x_ticks,
        x_tick_labels,
        y_ticks,
        y_tick_labels,
    )
    return plot, names


def _quadrant_names(
    labels: Mapping[str, str],
    *,
    plot: Box,
    centre: tuple[float, float],
    markers: Sequence[Box],
) -> Names:
    """Each quadrant's name in lines, and where it fits inside the plot (None: nowhere).

    A name starts in its quadrant's outer corner and moves inwards, in a fixed order, until
    it covers no marker: data never hides under words, and the same data always gives the
    same picture. A name that would have to break inside a word does not fit.
    """
    left, top, right, bottom = plot
    cx, cy = centre
    # The quadrant that matters most chooses its spot first.
    extents: dict[str, Box] = {
        "concentrate": (cx, cy, right, bottom),
        "keep_up": (cx, top, right, cy),
        "low_priority": (left, cy, cx, bottom),
        "overkill": (left, top, cx, cy),
    }
    placed: Names = {}
    taken: list[Box] = []
    for key, extent in extents.items():
        room = extent[2] - extent[0] - 16
        text = labels[key]
        words_fit = all(text_width(w, SMALL, bold=True) <= room for w in text.split())
        lines = wrap(text, room, SMALL, 3, bold=True) if words_fit else []
        found: Box | None = None
        if lines and not lines[-1].endswith(ELLIPSIS):
            found = _fit_name(key, lines, extent, [*markers, *taken])
            if found is not None:
                taken.append(found)
        placed[key] = (lines, found)
    # Outside the frame a name shares its line with its neighbour's, if that is outside too.
    for key, partner in PARTNERS.items():
        if placed[key][1] is None:
            share = 0.5 if placed[partner][1] is None else 0.75
            placed[key] = (wrap(labels[key], (right - left) * share - 8, SMALL, 3, bold=True), None)
    return placed


def _fit_name(key: str, lines: Sequence[str], extent: Box, obstacles: Sequence[Box]) -> Box | None:
    """The first free box for a quadrant's name, from the quadrant's outer corner inwards."""
    qx0, qy0, qx1, qy1 = extent
    from_left, from_top = key in ("overkill", "low_priority"), key in ("overkill", "keep_up")
    box_w = max(text_width(line, SMALL, bold=True) for line in lines) + 8
    box_h = len(lines) * SMALL_LINE + 4
    moves = [
        (dx, dy)
        for dx in range(0, max(int(qx1 - qx0 - box_w - 8), -1) + 1, 12)
        for dy in range(0, max(int(qy1 - qy0 - box_h - 8), -1) + 1, 12)
    ]
    moves.sort(key=lambda m: (m[0] + m[1], m[1]))
    for dx, dy in moves:
        bx = qx0 + 4 + dx if from_left else qx1 - 4 - dx - box_w
        by = qy0 + 4 + dy if from_top else qy1 - 4 - dy - box_h
        box = (bx, by, bx + box_w, by + box_h)
        if free(box, (qx0, qy0, qx1, qy1), obstacles):
            return box
    return None


def _background(plot: _Plot, cx: float, cy: float, id_prefix: str) -> list[str]:
    # A faint tint on the quadrant that matters most; its name says the same in words.
    body = [
        svg.rect(
            cx, cy, plot.right - cx, plot.bottom - cy, id=f"{id_prefix}-concentrate", fill="#fcebdc"
        )
    ]
    grid = [
        svg.line(plot.px(t), plot.top, plot.px(t), plot.bottom, stroke=GRID) for t in plot.x_ticks
    ]
    grid += [
        svg.line(plot.left, plot.py(t), plot.right, plot.py(t), stroke=GRID) for t in plot.y_ticks
    ]
    body.append(svg.el("g", "".join(grid), id=f"{id_prefix}-grid"))
    body.append(svg.rect(plot.left, plot.top, plot.plot_w, plot.plot_h, fill="none", stroke=AXIS))
    return body


def _quadrant_name_markup(names: Names, plot: _Plot, id_prefix: str) -> tuple[list[str], list[Box]]:
    """Quadrant names inside the plot, on white so that lines behind do not cut the letters;
    those that found no room there stand outside the frame by their corner. Also the boxes
    the names inside take."""
    body: list[str] = []
    taken: list[Box] = []
    for key, (lines, inside) in names.items():
        from_left = key in ("overkill", "low_priority")
        group: list[str] = []
        if inside is not None:
            box = (inside[0], inside[1] + plot.top, inside[2], inside[3] + plot.top)
            taken.append(box)
            group.append(
                svg.rect(
                    box[0], box[1], box[2] - box[0], box[3] - box[1], fill=WHITE, fill_opacity=0.85
                )
            )
            text_x, first = (box[0] + 4 if from_left else box[2] - 4), box[1] + 2
        else:
            text_x = plot.left if from_left else plot.right
            if key in ("overkill", "keep_up"):
                first = plot.top - 6 - len(lines) * SMALL_LINE
            else:
                first = plot.ticks_bottom + 4
        for i, line in enumerate(lines):
            group.append(
                svg.text(
                    text_x,
                    baseline(first + (i + 0.5) * SMALL_LINE, SMALL),
                    esc(line),
                    text_anchor="start" if from_left else "end",
                    font_size=SMALL,
                    font_weight="bold",
                )
            )
        body.append(svg.el("g", "".join(group), id=f"{id_prefix}-quadrant-{key}"))
    return body, taken


def _crosshair(plot: _Plot, cx: float, cy: float) -> list[str]:
    crosshair = {"stroke": AXIS, "stroke_width": 1.5, "stroke_dasharray": "6 4"}
    return [
        svg.line(cx, plot.top, cx, plot.bottom, **crosshair),
        svg.line(plot.left, cy, plot.right, cy, **crosshair),
    ]


def _diagonal(
    plot: _Plot,
    centre: tuple[float, float],
    label: str,
    obstacles: Sequence[Box],
    id_prefix: str,
) -> tuple[list[str], list[Box]]:
    """The diagonal y - centre_y = x - centre_x in data units, cut to the plot, and its
    label; also the boxes that stand in for the label, for the points' numbers to avoid."""
    (dx0, dx1), (dy0, dy1) = plot.x_domain, plot.y_domain
    shift = centre[1] - centre[0]
    start, end = max(dx0, dy0 - shift), min(dx1, dy1 - shift)
    ax, ay, bx_, by_ = plot.px(start), plot.py(start + shift), plot.px(end), plot.py(end + shift)
    line = svg.line(ax, ay, bx_, by_, id=f"{id_prefix}-diagonal", stroke=MUTED, stroke_width=1.5)
    length = math.hypot(bx_ - ax, by_ - ay) or 1.0
    ux, uy = (bx_ - ax) / length, (by_ - ay) / length
    diagonal_text = (wrap(label, length * 0.45, SMALL, 1) or [""])[0]
    spots = _diagonal_spots((ax, ay), (ux, uy), length, text_width(diagonal_text, SMALL) / 2)
    # The first free spot of a fixed list, so the same data always gives the same picture.
    mx, my, boxes = next(
        (spot for spot in spots if all(free(b, plot.frame, obstacles) for b in spot[2])),
        spots[0],
    )
    angle = math.degrees(math.atan2(uy, ux))
    text = svg.text(
        mx,
        my,
        esc(diagonal_text),
        id=f"{id_prefix}-diagonal-label",
        text_anchor="middle",
        font_size=SMALL,
        fill=MUTED,
        transform=f"rotate({svg.num(angle)} {svg.num(mx)} {svg.num(my)})",
    )
    return [line, text], boxes


def _diagonal_spots(
    start: tuple[float, float], direction: tuple[float, float], length: float, half_text: float
) -> list[tuple[float, float, list[Box]]]:
    """Where the diagonal's label may stand along it (the middle of its baseline), nearest
    the upper end first, where points are fewest; with boxes that stand in for the text."""
    (ax, ay), (ux, uy) = start, direction
    nx, ny = uy, -ux  # the side "above" the line, in the text's own frame
    spots: list[tuple[float, float, list[Box]]] = []
    for t in (0.72, 0.62, 0.82, 0.52, 0.9, 0.42, 0.32, 0.22):
        for lift in (5, -(5 + 0.75 * SMALL)):  # baseline over the line, or under it
            mx, my = ax + ux * length * t + nx * lift, ay + uy * length * t + ny * lift
            # Small boxes along the middle of the letters stand in for the rotated text.
            mid_x, mid_y = mx + nx * 0.35 * SMALL, my + ny * 0.35 * SMALL
            along = [-half_text + k * half_text / 4 for k in range(9)]
            boxes: list[Box] = [
                (mid_x + ux * s - 6, mid_y + uy * s - 6, mid_x + ux * s + 6, mid_y + uy * s + 6)
                for s in along
            ]
            spots.append((mx, my, boxes))
    return spots


def _points(
    points: Sequence[IpaPoint],
    xy: Sequence[tuple[float, float]],
    plot: _Plot,
    obstacles: Sequence[Box],
    *,
    centre: tuple[float, float],
    id_prefix: str,
) -> list[str]:
    """Every point, its number placed clear of the other points, numbers and ``obstacles``."""
    labels = place_labels(
        xy,
        [text_width(point.number, SMALL, bold=True) for point in points],
        frame=plot.frame,
        obstacles=obstacles,
    )
    return [
        _point(point, index, x, y, label, centre=centre, id_prefix=id_prefix)
        for index, (point, (x, y), label) in enumerate(zip(points, xy, labels, strict=True))
    ]


def _point(
    point: IpaPoint,
    index: int,
    x: float,
    y: float,
    label: Label,
    *,
    centre: tuple[float, float],
    id_prefix: str,
) -> str:
    """A point's marker, its number where ``label`` says, and the statement as a tooltip."""
    leader = ""
    if label.leader is not None:
        (lx1, ly1), (lx2, ly2) = label.leader
        leader = svg.line(lx1, ly1, lx2, ly2, stroke=MUTED, stroke_width=1)
    concentrate = is_concentrate(point, *centre)
    marker = marks.triangle(x, y) if concentrate else marks.circle(x, y, 6)
    tooltip = svg.el("title", esc(f"{point.number} {point.text}".strip()))
    box = label.box
    number = svg.text(
        box[0] + 1,
        baseline((box[1] + box[3]) / 2, SMALL),
        esc(point.number),
        font_size=SMALL,
        font_weight="bold",
    )
    return svg.el("g", tooltip + leader + marker + number, id=f"{id_prefix}-point-{index}")


def _tick_labels(plot: _Plot, id_prefix: str) -> list[str]:
    x_axis = [
        svg.text(
            plot.px(tick),
            plot.bottom + 8 + 0.8 * SMALL,
            esc(text),
            text_anchor="middle",
            font_size=SMALL,
        )
        for tick, text in zip(plot.x_ticks, plot.x_tick_labels, strict=True)
    ]
    y_axis = [
        svg.text(
            plot.left - 8,
            baseline(plot.py(tick), SMALL),
            esc(text),
            text_anchor="end",
            font_size=SMALL,
        )
        for tick, text in zip(plot.y_ticks, plot.y_tick_labels, strict=True)
    ]
    return [
        svg.el("g", "".join(x_axis), id=f"{id_prefix}-x-ticks"),
        svg.el("g", "".join(y_axis), id=f"{id_prefix}-y-ticks"),
    ]


def _axis_names(
    plot: _Plot, names: Names, x_label: str, y_label: str, *, id_prefix: str
) -> tuple[str, float]:
    """Both axes' names, the x axis's under the quadrant names below the plot, if any; and
    the chart's height."""
    outside_bottom = [names[k] for k in ("low_priority", "concentrate") if names[k][1] is None]
    bottom_band = max((len(lines) * SMALL_LINE + 8 for lines, _ in outside_bottom), default=0)
    label_top = plot.ticks_bottom + bottom_band + 4
    parts: list[str] = []
    x_label_lines = wrap(x_label, plot.plot_w, FONT, 2, bold=True)
    for i, line in enumerate(x_label_lines):
        parts.append(
            svg.text(
                plot.left + plot.plot_w / 2,
                baseline(label_top + (i + 0.5) * LINE, FONT),
                esc(line),
                text_anchor="middle",
                font_weight="bold",
            )
        )
    y_text = (wrap(y_label, plot.plot_h, FONT, 1, bold=True) or [""])[0]
    yx, yy = MARGIN + LINE / 2 + 0.35 * FONT, plot.top + plot.plot_h / 2
    parts.append(
        svg.text(
            yx,
            yy,
            esc(y_text),
            text_anchor="middle",
            font_weight="bold",
            transform=f"rotate(-90 {svg.num(yx)} {svg.num(yy)})",
        )
    )
    height = label_top + len(x_label_lines) * LINE + MARGIN
    return svg.el("g", "".join(parts), id=f"{id_prefix}-axis-names"), height
