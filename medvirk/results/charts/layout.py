"""Layout the charts share: legends, statement labels and their rows, boxes that must not
overlap."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from . import svg
from .style import ELLIPSIS, FONT, GAP, LINE, MARGIN, NARROW, ROW_GAP, SMALL, SMALL_LINE
from .typography import baseline, esc, text_width, wrap

Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def free(box: Box, frame: Box, obstacles: Iterable[Box]) -> bool:
    """Whether ``box`` lies inside ``frame`` and on none of ``obstacles``."""
    inside = box[0] >= frame[0] and box[1] >= frame[1] and box[2] <= frame[2] and box[3] <= frame[3]
    return inside and not any(overlaps(box, other) for other in obstacles)


@dataclass(frozen=True)
class Entry:
    """A legend entry: ``symbol(x, centre_y)`` drawn ``symbol_width`` wide, then the text."""

    symbol: Callable[[float, float], str]
    symbol_width: float
    text: str


def legend(entries: Sequence[Entry], *, top: float, width: float) -> tuple[str, float]:
    """Entries flowing left to right and onto new lines; the markup and the height used."""
    parts: list[str] = []
    x0, room = float(MARGIN), width - 2 * MARGIN
    cursor, line_top, line_height = x0, top, 0.0
    for entry in entries:
        lines = wrap(entry.text, room - entry.symbol_width - 8, SMALL, 2)
        entry_w = (
            entry.symbol_width + 8 + max((text_width(line, SMALL) for line in lines), default=0.0)
        )
        entry_h = max(22.0, len(lines) * SMALL_LINE)
        if cursor > x0 and cursor + entry_w > x0 + room:
            cursor, line_top, line_height = x0, line_top + line_height + 6, 0.0
        centre = line_top + entry_h / 2
        parts.append(entry.symbol(cursor, centre))
        first = centre - len(lines) * SMALL_LINE / 2
        for i, line in enumerate(lines):
            parts.append(
                svg.text(
                    cursor + entry.symbol_width + 8,
                    baseline(first + (i + 0.5) * SMALL_LINE, SMALL),
                    esc(line),
                    font_size=SMALL,
                )
            )
        cursor += entry_w + 24
        line_height = max(line_height, entry_h)
    return "".join(parts), (line_top + line_height - top) if entries else 0.0


def columns(width: float) -> tuple[bool, float, float]:
    """Narrow or not, where the graphic starts, and the room for statement labels."""
    inner = width - 2 * MARGIN
    if width < NARROW:
        return True, MARGIN, inner
    label_w = round(inner * 0.36)
    return False, MARGIN + label_w + GAP, label_w


@dataclass(frozen=True)
class Row:
    """Where one statement's row lies: its label lines, the graphic's centre line, the band
    that grid lines run through, and where the next row starts."""

    label: str
    centre: float
    band: tuple[float, float]
    next_y: float


def row(
    number: str,
    text: str,
    *,
    y: float,
    narrow: bool,
    label_w: float,
    above: float,
    below: float,
    spacing: float = 4,
) -> Row:
    """Lay out a row: the label beside the graphic (wide) or above it (narrow). The graphic
    reaches ``above`` over its centre line and ``below`` under it."""
    full = f"{number} {text}".strip()
    # The number is bold, a little wider than the estimate: leave room for it.
    lines = wrap(full, label_w - 0.1 * text_width(number), FONT, 2)
    label_h = len(lines) * LINE
    if narrow:
        label_top = y
        centre = y + label_h + spacing + above
        row_h = label_h + spacing + above + below
        band = (centre - above, y + row_h + ROW_GAP / 2)
    else:
        row_h = max(label_h, above + below)
        label_top = y + (row_h - label_h) / 2
        centre = y + (row_h - above - below) / 2 + above
        band = (y - ROW_GAP / 2, y + row_h + ROW_GAP / 2)
    parts: list[str] = []
    if lines and lines[-1].endswith(ELLIPSIS) and not full.endswith(ELLIPSIS):
        parts.append(svg.el("title", esc(full)))  # the whole statement, on hover
    for i, line in enumerate(lines):
        parts.append(
            svg.text(
                MARGIN,
                baseline(label_top + (i + 0.5) * LINE, FONT),
                svg.bold_start(line, number if i == 0 else ""),
            )
        )
    return Row("".join(parts), centre, band, y + row_h + ROW_GAP)
