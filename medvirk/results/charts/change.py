"""Change since the previous round: diverging bars from a zero line."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from . import layout, marks, svg
from .formatting import format_number, nice_ticks
from .style import (
    AXIS,
    FONT,
    GAP,
    GRID,
    INK,
    MARGIN,
    NBSP,
    OI_ORANGE,
    OI_SKY,
    ROW_GAP,
    SMALL,
    SMALL_LINE,
)
from .typography import baseline, esc, text_width

BAR_H = 20


@dataclass(frozen=True)
class ChangeRow:
    number: str
    text: str
    change: float | None  # since the previous round; None: suppressed
    low: float | None = None  # confidence interval of the change
    high: float | None = None


def is_significant(row: ChangeRow) -> bool:
    """The change's confidence interval lies wholly on one side of zero."""
    if row.low is None or row.high is None:
        return False
    return row.low > 0 or row.high < 0


@dataclass(frozen=True)
class _Axis:
    """The axis from −half to +half: where a value goes, its ticks, and the value marker."""

    half: float
    x0: float
    x1: float
    ticks: list[float]
    decimals: int
    marker: str  # after a significant change's value

    def at(self, value: float) -> float:
        return self.x0 + (value + self.half) / (2 * self.half) * (self.x1 - self.x0)


@dataclass(frozen=True)
class _Chart:
    """What every row needs to know of the chart."""

    axis: _Axis
    narrow: bool
    graph_x: float
    label_w: float
    width: int
    id_prefix: str
    decimal: str
    suppressed_text: str


def change_bars(
    rows: Sequence[ChangeRow],
    *,
    title: str,
    description: str,
    significant_label: str,
    suppressed_text: str,
    id_prefix: str,
    width: int = 720,
    decimal: str = ",",
    span: float = 1.0,
    significant_marker: str = "*",
) -> str:
    """Bars from a zero line to each change, its confidence interval as a whisker and the
    signed value at the end (+0,3 / −0,2).

    A change whose interval excludes zero has its value in bold followed by
    ``significant_marker``, which the legend explains with ``significant_label``. The axis
    runs from −``span`` to +``span``, widened in steps of 0,5 when a value or an interval
    reaches beyond. Rows with ``change=None`` are hatched.
    """
    svg.check(id_prefix, width)
    if span <= 0:
        raise ValueError("span must be positive")
    narrow, graph_x, label_w = layout.columns(width)
    marker = NBSP + significant_marker
    axis = _axis(rows, span=span, graph_x=graph_x, width=width, decimal=decimal, marker=marker)
    chart = _Chart(axis, narrow, graph_x, label_w, width, id_prefix, decimal, suppressed_text)
    legend, legend_h = _legend(significant_marker, significant_label, width=width)
    body = [svg.el("g", legend, id=f"{id_prefix}-legend")]
    y = MARGIN + legend_h + GAP + ROW_GAP / 2
    grid: list[str] = []
    zero: list[str] = []
    rows_markup: list[str] = []
    for index, row in enumerate(rows):
        markup, row_grid, row_zero, y = _row(row, index, chart, y=y)
        rows_markup.append(markup)
        grid += row_grid
        zero += row_zero
    bottom = y - ROW_GAP / 2

    body.append(svg.el("g", "".join(grid), id=f"{id_prefix}-grid"))
    body.extend(rows_markup)
    body.append(svg.el("g", "".join(zero), id=f"{id_prefix}-zero"))  # every bar starts from it
    body.append(_axis_line(axis, bottom, id_prefix, decimal))
    return svg.document(
        width=width,
        height=bottom + 8 + SMALL_LINE + MARGIN,
        id_prefix=id_prefix,
        title=title,
        description=description,
        body=body,
        hatch=any(row.change is None for row in rows),
    )


def _legend(significant_marker: str, significant_label: str, *, width: int) -> tuple[str, float]:
    def marker_symbol(x: float, centre: float) -> str:
        return svg.text(
            x + 6,
            baseline(centre, FONT),
            esc(significant_marker),
            font_weight="bold",
            text_anchor="middle",
        )

    return layout.legend(
        [layout.Entry(marker_symbol, 12, significant_label)], top=MARGIN, width=width
    )


def _row(
    row: ChangeRow, index: int, chart: _Chart, *, y: float
) -> tuple[str, list[str], list[str], float]:
    """A statement's row; its grid lines and piece of the zero line (none when the change
    is suppressed); and where the next row starts."""
    placed = layout.row(
        row.number,
        row.text,
        y=y,
        narrow=chart.narrow,
        label_w=chart.label_w,
        above=15,
        below=15,
        spacing=2,
    )
    centre, (band_top, band_bottom) = placed.centre, placed.band
    parts = [placed.label]
    grid: list[str] = []
    zero: list[str] = []
    if row.change is None:
        parts.append(
            svg.suppressed(
                chart.id_prefix,
                x=chart.graph_x,
                y=centre - 15,
                width=chart.width - MARGIN - chart.graph_x,
                height=30,
                reason=chart.suppressed_text,
            )
        )
    else:
        at = chart.axis.at
        grid = [
            svg.line(at(t), band_top, at(t), band_bottom, stroke=GRID)
            for t in chart.axis.ticks
            if t
        ]
        # Through the graphic's band only, so it never strikes through a label.
        zero = [svg.line(at(0), band_top, at(0), band_bottom, stroke=INK, stroke_width=2)]
        parts.append(
            _marks(row, row.change, index, chart.axis, centre, chart.id_prefix, chart.decimal)
        )
    markup = svg.el("g", "".join(parts), id=f"{chart.id_prefix}-row-{index}")
    return markup, grid, zero, placed.next_y


def _axis(
    rows: Sequence[ChangeRow],
    *,
    span: float,
    graph_x: float,
    width: int,
    decimal: str,
    marker: str,
) -> _Axis:
    """An axis wide enough for every change and interval, with room for the values."""
    reach = [abs(v) for row in rows for v in (row.change, row.low, row.high) if v is not None]
    half = max([span, *reach])
    if half > span:
        half = math.ceil(half * 2 - 1e-9) / 2
    value_w = text_width(format_number(-half, 1, decimal) + marker, SMALL, bold=True)
    x0, x1 = graph_x + value_w + 10, width - MARGIN - value_w - 10
    # Ticks symmetric around zero, about one per 70 units, and always at least at ±half.
    ticks, decimals = nice_ticks(-half, half, max(2, int((x1 - x0) // 70)))
    if len(ticks) < 3:
        ticks, decimals = [-half, 0.0, half], 1
    return _Axis(half, x0, x1, ticks, decimals, marker)


def _marks(
    row: ChangeRow,
    change: float,
    index: int,
    axis: _Axis,
    centre: float,
    id_prefix: str,
    decimal: str,
) -> str:
    """The bar to ``change``, the interval's whisker, and the signed value past both."""
    significant = is_significant(row)
    start, end = axis.at(0), axis.at(change)
    parts = [
        svg.rect(
            min(start, end),
            centre - BAR_H / 2,
            abs(end - start),
            BAR_H,
            id=f"{id_prefix}-bar-{index}",
            fill=OI_SKY if change >= 0 else OI_ORANGE,
            stroke=INK,
            stroke_width=1,
        )
    ]
    extent = [change]
    if row.low is not None and row.high is not None:
        parts.append(marks.whisker(axis.at(row.low), axis.at(row.high), centre, 6))
        extent += [row.low, row.high]
    value = esc(format_number(change, 1, decimal, signed=True))
    if significant:
        value += esc(axis.marker)
    positive = change >= 0
    parts.append(
        svg.text(
            axis.at(max(extent)) + 8 if positive else axis.at(min(extent)) - 8,
            baseline(centre, SMALL),
            value,
            id=f"{id_prefix}-value-{index}",
            text_anchor="start" if positive else "end",
            font_size=SMALL,
            font_weight="bold" if significant else None,
        )
    )
    return svg.el("g", "".join(parts), id=f"{id_prefix}-mark-{index}")


def _axis_line(axis: _Axis, bottom: float, id_prefix: str, decimal: str) -> str:
    parts = [svg.line(axis.x0, bottom, axis.x1, bottom, stroke=AXIS)]
    for tick in axis.ticks:
        parts.append(svg.line(axis.at(tick), bottom, axis.at(tick), bottom + 5, stroke=AXIS))
        parts.append(
            svg.text(
                axis.at(tick),
                bottom + 8 + 0.8 * SMALL,
                "0"
                if tick == 0
                else esc(format_number(tick, max(axis.decimals, 1), decimal, signed=True)),
                text_anchor="middle",
                font_size=SMALL,
            )
        )
    return svg.el("g", "".join(parts), id=f"{id_prefix}-axis")
