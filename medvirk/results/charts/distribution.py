"""Distribution of answers: one 100 % stacked bar per statement."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from . import layout, svg
from .colours import sequential_blues, text_colour_on
from .formatting import format_percent
from .style import AXIS, DASH, GAP, MARGIN, MUTED, NBSP, ROW_GAP, SMALL, SMALL_LINE, WHITE
from .typography import baseline, esc, text_width, wrap

BAR_H = 30
MIN_LABELLED = 0.07  # narrower segments get no percentage: it would not fit


@dataclass(frozen=True)
class DistributionRow:
    """One statement's answers: shares per scale point 1..n among those who took a stand."""

    number: str  # as printed, e.g. "3" or "3a"
    text: str  # the statement, short
    shares: Sequence[float] | None  # one per scale point, summing to 1; None: suppressed
    dont_know: float | None = None  # share of all answers; None: no such option


@dataclass(frozen=True)
class _Chart:
    """What every row needs to know of the chart: where the bars and the don't-know column
    lie across it, and the scale points' colours."""

    narrow: bool
    bar_x: float
    bar_w: float
    label_w: float
    dk_right: float
    colours: Sequence[str]
    id_prefix: str
    suppressed_text: str


def distribution_bars(
    rows: Sequence[DistributionRow],
    *,
    point_labels: Sequence[str],
    dont_know_label: str,
    title: str,
    description: str,
    suppressed_text: str,
    id_prefix: str,
    width: int = 720,
    decimal: str = ",",
) -> str:
    """One 100 % stacked bar per statement, a segment per scale point (1 on the left).

    Segments of at least 7 % have their percentage written in them; the share answering
    "don't know" is written in a column on the right under ``dont_know_label``. Rows with
    ``shares=None`` are hatched and say why (``suppressed_text``). Percentages are whole, so
    ``decimal`` changes nothing; it is accepted like the other charts'.
    """
    del decimal
    svg.check(id_prefix, width)
    colours = sequential_blues(len(point_labels))
    _validate(rows, len(point_labels))
    narrow, bar_x, label_w = layout.columns(width)
    header = wrap(dont_know_label, 110, SMALL, 2, bold=True)
    dk_w = max([text_width("100 %", SMALL)] + [text_width(t, SMALL, bold=True) for t in header])
    dk_right = width - MARGIN
    bar_w = dk_right - dk_w - GAP - bar_x
    chart = _Chart(narrow, bar_x, bar_w, label_w, dk_right, colours, id_prefix, suppressed_text)

    legend, legend_h = layout.legend(
        [
            layout.Entry(_swatch(colours[i], i + 1), 26, label)
            for i, label in enumerate(point_labels)
        ],
        top=MARGIN,
        width=width,
    )
    body = [svg.el("g", legend, id=f"{id_prefix}-legend")]
    y = MARGIN + legend_h + GAP
    body += _header(header, chart, y=y)
    y += len(header) * SMALL_LINE + 8

    for index, row in enumerate(rows):
        markup, y = _row(row, index, chart, y=y)
        body.append(markup)

    return svg.document(
        width=width,
        height=y - ROW_GAP + MARGIN,
        id_prefix=id_prefix,
        title=title,
        description=description,
        body=body,
        hatch=any(row.shares is None for row in rows),
    )


def _validate(rows: Sequence[DistributionRow], points: int) -> None:
    for row in rows:
        if row.shares is not None:
            if len(row.shares) != points:
                raise ValueError(f"row {row.number}: {len(row.shares)} shares, not one per point")
            if any(s < 0 for s in row.shares) or abs(sum(row.shares) - 1) > 0.02:
                raise ValueError(f"row {row.number}: shares must be at least 0 and sum to 1")
        if row.dont_know is not None and not 0 <= row.dont_know <= 1:
            raise ValueError(f"row {row.number}: dont_know must be between 0 and 1")


def _swatch(fill: str, number: int) -> Callable[[float, float], str]:
    """A legend symbol: the point's number in its colour, so the legend reads in greyscale."""

    def draw(x: float, centre: float) -> str:
        return svg.rect(x, centre - 11, 26, 22, fill=fill, stroke=AXIS, stroke_width=1) + svg.text(
            x + 13,
            baseline(centre, SMALL),
            str(number),
            text_anchor="middle",
            font_size=SMALL,
            font_weight="bold",
            fill=text_colour_on(fill),
        )

    return draw


def _header(header: Sequence[str], chart: _Chart, *, y: float) -> list[str]:
    """The header line: a percent scale over the bars (so that the bare numbers in the
    segments read as percent) and the don't-know column's name."""
    parts = [
        svg.text(
            chart.dk_right,
            baseline(y + (i + 0.5) * SMALL_LINE, SMALL),
            esc(line),
            text_anchor="end",
            font_size=SMALL,
            font_weight="bold",
        )
        for i, line in enumerate(header)
    ]
    scale_line = y + len(header) * SMALL_LINE - SMALL_LINE / 2 - 2
    marks = (0, 25, 50, 75, 100) if chart.bar_w >= 300 else (0, 50, 100)
    scale: list[str] = []
    for mark in marks:
        x = chart.bar_x + chart.bar_w * mark / 100
        anchor = "start" if mark == 0 else "end" if mark == 100 else "middle"
        scale.append(
            svg.text(
                x,
                baseline(scale_line, SMALL),
                f"{mark}{NBSP}%",
                text_anchor=anchor,
                font_size=SMALL,
                fill=MUTED,
            )
        )
        scale.append(svg.line(x, scale_line + 9, x, scale_line + 14, stroke=AXIS))
    parts.append(svg.el("g", "".join(scale), id=f"{chart.id_prefix}-scale"))
    return parts


def _row(row: DistributionRow, index: int, chart: _Chart, *, y: float) -> tuple[str, float]:
    """A statement's label, bar and don't-know share; and where the next row starts."""
    placed = layout.row(
        row.number,
        row.text,
        y=y,
        narrow=chart.narrow,
        label_w=chart.label_w,
        above=BAR_H / 2,
        below=BAR_H / 2,
    )
    centre, bar_top = placed.centre, placed.centre - BAR_H / 2
    if row.shares is None:
        bar = svg.suppressed(
            chart.id_prefix,
            x=chart.bar_x,
            y=bar_top,
            width=chart.bar_w,
            height=BAR_H,
            reason=chart.suppressed_text,
        )
        dont_know = DASH
    else:
        bar = _segments(row.shares, index, chart, centre=centre)
        # The outline keeps the lightest segment visible on the white page.
        bar += svg.rect(chart.bar_x, bar_top, chart.bar_w, BAR_H, fill="none", stroke=AXIS)
        dont_know = "" if row.dont_know is None else format_percent(row.dont_know)
    parts = [placed.label, svg.el("g", bar, id=f"{chart.id_prefix}-bar-{index}")]
    if dont_know:
        parts.append(
            svg.text(
                chart.dk_right,
                baseline(centre, SMALL),
                esc(dont_know),
                id=f"{chart.id_prefix}-dk-{index}",
                text_anchor="end",
                font_size=SMALL,
            )
        )
    return svg.el("g", "".join(parts), id=f"{chart.id_prefix}-row-{index}"), placed.next_y


def _segments(shares: Sequence[float], index: int, chart: _Chart, *, centre: float) -> str:
    """A segment per scale point answered, with its percentage where it fits."""
    total = sum(shares)
    bar_top = centre - BAR_H / 2
    parts: list[str] = []
    x = chart.bar_x
    for point, share in enumerate(shares):
        if share <= 0:
            continue
        segment_w = share / total * chart.bar_w
        # Thin white borders part the segments where neighbouring blues are close.
        parts.append(
            svg.rect(
                x,
                bar_top,
                segment_w,
                BAR_H,
                id=f"{chart.id_prefix}-seg-{index}-{point}",
                fill=chart.colours[point],
                stroke=WHITE,
                stroke_width=1.5,
            )
        )
        shown = format_percent(share / total).split(NBSP)[0]
        if share / total >= MIN_LABELLED and (text_width(shown, SMALL, bold=True) + 4 <= segment_w):
            parts.append(
                svg.text(
                    x + segment_w / 2,
                    baseline(centre, SMALL),
                    shown,
                    text_anchor="middle",
                    font_size=SMALL,
                    font_weight="bold",
                    fill=text_colour_on(chart.colours[point]),
                )
            )
        x += segment_w
    return "".join(parts)
