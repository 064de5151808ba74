"""Means with confidence intervals: a dot and a whisker per statement, and a comparison."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from . import layout, marks, svg
from .formatting import format_number
from .style import AXIS, GAP, GRID, MARGIN, MUTED, ROW_GAP, SMALL, SMALL_LINE, WHITE
from .typography import esc, text_width


@dataclass(frozen=True)
class MeanRow:
    number: str
    text: str
    mean: float | None  # None: suppressed
    low: float | None = None  # confidence interval; None on either side: no whisker
    high: float | None = None
    comparison: float | None = None  # e.g. the whole service area, or last year


@dataclass(frozen=True)
class _Scale:
    """The scale across the chart: where a value goes, and where the graphic starts."""

    scale_min: int
    scale_max: int
    graph_x: float
    pad: float
    x0: float
    x1: float

    def at(self, value: float) -> float:
        # Intervals may reach past the scale (normal approximation); they stop at its ends.
        clamped = min(max(value, self.scale_min), self.scale_max)
        return self.x0 + (clamped - self.scale_min) / (self.scale_max - self.scale_min) * (
            self.x1 - self.x0
        )

    @property
    def ticks(self) -> range:
        return range(self.scale_min, self.scale_max + 1)


@dataclass(frozen=True)
class _Chart:
    """What every row needs to know of the chart: the graphic reaches ``above`` over a
    row's centre line and ``below`` under it."""

    scale: _Scale
    narrow: bool
    label_w: float
    above: float
    below: float
    id_prefix: str
    decimal: str
    suppressed_text: str


def means_with_ci(
    rows: Sequence[MeanRow],
    *,
    scale_min: int,
    scale_max: int,
    title: str,
    description: str,
    comparison_label: str,
    suppressed_text: str,
    id_prefix: str,
    mean_label: str | None = None,
    width: int = 720,
    decimal: str = ",",
) -> str:
    """Per statement a dot at the mean, its confidence interval as a whisker and the value
    written over it; the comparison as a hollow diamond with its value written under it.

    The legend explains the diamond (``comparison_label``) when any row has a comparison,
    and the dot (``mean_label``) when that is given. Rows with ``mean=None`` are hatched.
    """
    svg.check(id_prefix, width)
    _validate(rows, scale_min, scale_max)
    narrow, graph_x, label_w = layout.columns(width)
    # Values are centred on their mark: keep half a value's width free at both ends.
    pad = text_width(format_number(scale_max, 1, decimal), SMALL, bold=True) / 2 + 4
    scale = _Scale(scale_min, scale_max, graph_x, pad, graph_x + pad, width - MARGIN - pad)
    with_comparison = any(row.comparison is not None for row in rows)
    body, y = _legend(
        mean_label, comparison_label if with_comparison else None, width=width, id_prefix=id_prefix
    )
    chart = _Chart(
        scale,
        narrow,
        label_w,
        above=SMALL_LINE + 8,  # room for the mean's value over the dot
        below=SMALL_LINE + 9 if with_comparison else 10,  # and the comparison's under it
        id_prefix=id_prefix,
        decimal=decimal,
        suppressed_text=suppressed_text,
    )
    grid: list[str] = []
    rows_markup: list[str] = []
    for index, row in enumerate(rows):
        markup, row_grid, y = _row(row, index, chart, y=y)
        rows_markup.append(markup)
        grid += row_grid
    bottom = y - ROW_GAP / 2

    body.append(svg.el("g", "".join(grid), id=f"{id_prefix}-grid"))  # under the marks
    body.extend(rows_markup)
    body.append(_axis(scale, bottom, id_prefix))
    return svg.document(
        width=width,
        height=bottom + 8 + SMALL_LINE + MARGIN,
        id_prefix=id_prefix,
        title=title,
        description=description,
        body=body,
        hatch=any(row.mean is None for row in rows),
    )


def _row(row: MeanRow, index: int, chart: _Chart, *, y: float) -> tuple[str, list[str], float]:
    """A statement's row, its grid lines, and where the next row starts."""
    scale = chart.scale
    placed = layout.row(
        row.number,
        row.text,
        y=y,
        narrow=chart.narrow,
        label_w=chart.label_w,
        above=chart.above,
        below=chart.below,
        spacing=0,
    )
    # Grid lines run through the graphic's band only, never through labels above it.
    grid = [
        svg.line(scale.at(t), *placed.band[:1], scale.at(t), placed.band[1], stroke=GRID)
        for t in scale.ticks
    ]
    parts = [placed.label]
    if row.mean is None:
        parts.append(_suppressed(scale, placed.centre, chart.id_prefix, chart.suppressed_text))
    else:
        parts.append(
            _marks(row, row.mean, index, scale, placed.centre, chart.id_prefix, chart.decimal)
        )
    markup = svg.el("g", "".join(parts), id=f"{chart.id_prefix}-row-{index}")
    return markup, grid, placed.next_y


def _validate(rows: Sequence[MeanRow], scale_min: int, scale_max: int) -> None:
    if scale_max <= scale_min:
        raise ValueError("scale_max must be above scale_min")
    for row in rows:
        for value in (row.mean, row.comparison):
            if value is not None and not scale_min <= value <= scale_max:
                raise ValueError(f"row {row.number}: {value} lies outside the scale")


def _legend(
    mean_label: str | None, comparison_label: str | None, *, width: int, id_prefix: str
) -> tuple[list[str], float]:
    """The legend, when there is anything to explain; and where the first row starts."""
    entries: list[layout.Entry] = []
    if mean_label:
        entries.append(
            layout.Entry(
                lambda x, c: marks.whisker(x + 2, x + 34, c, 6) + marks.circle(x + 18, c),
                36,
                mean_label,
            )
        )
    if comparison_label is not None:
        entries.append(layout.Entry(lambda x, c: marks.diamond(x + 18, c), 36, comparison_label))
    if not entries:
        return [], MARGIN + ROW_GAP / 2
    legend, legend_h = layout.legend(entries, top=MARGIN, width=width)
    return [svg.el("g", legend, id=f"{id_prefix}-legend")], MARGIN + legend_h + (GAP + ROW_GAP / 2)


def _suppressed(scale: _Scale, centre: float, id_prefix: str, reason: str) -> str:
    return svg.suppressed(
        id_prefix,
        x=scale.graph_x,
        y=centre - 15,
        width=scale.x1 - scale.x0 + 2 * scale.pad,
        height=30,
        reason=reason,
    )


def _marks(
    row: MeanRow,
    mean: float,
    index: int,
    scale: _Scale,
    centre: float,
    id_prefix: str,
    decimal: str,
) -> str:
    """The whisker, the dot at ``mean`` and its value, and the comparison's diamond and value."""
    parts: list[str] = []
    if row.low is not None and row.high is not None:
        parts.append(marks.whisker(scale.at(row.low), scale.at(row.high), centre))
    parts.append(marks.circle(scale.at(mean), centre))
    parts.append(
        _value(
            scale.at(mean),
            centre - 11,
            format_number(mean, 1, decimal),
            id=f"{id_prefix}-value-{index}",
            font_weight="bold",
        )
    )
    if row.comparison is not None:
        parts.append(marks.diamond(scale.at(row.comparison), centre))
        parts.append(
            _value(
                scale.at(row.comparison),
                centre + 10 + 0.8 * SMALL,
                format_number(row.comparison, 1, decimal),
                id=f"{id_prefix}-comparison-{index}",
                fill=MUTED,
            )
        )
    return svg.el("g", "".join(parts), id=f"{id_prefix}-mark-{index}")


def _value(x: float, baseline: float, text: str, **attributes: object) -> str:
    """A value centred at ``x`` on a white patch, so that grid lines do not cross it."""
    bold = attributes.get("font_weight") == "bold"
    w = text_width(text, SMALL, bold) + 4
    patch = svg.rect(x - w / 2, baseline - 0.8 * SMALL, w, SMALL, fill=WHITE)
    return patch + svg.text(
        x, baseline, esc(text), text_anchor="middle", font_size=SMALL, **attributes
    )


def _axis(scale: _Scale, bottom: float, id_prefix: str) -> str:
    axis = [svg.line(scale.x0, bottom, scale.x1, bottom, stroke=AXIS)]
    for tick in scale.ticks:
        axis.append(svg.line(scale.at(tick), bottom, scale.at(tick), bottom + 5, stroke=AXIS))
        axis.append(
            svg.text(
                scale.at(tick),
                bottom + 8 + 0.8 * SMALL,
                str(tick),
                text_anchor="middle",
                font_size=SMALL,
            )
        )
    return svg.el("g", "".join(axis), id=f"{id_prefix}-axis")
