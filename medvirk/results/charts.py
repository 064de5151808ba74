"""Survey results as SVG charts, made on the server: no Django, no JavaScript.

Each function returns one SVG document as a string. The same string goes inline into an HTML
page (WCAG 2.1 AA) and into a PDF report through Typst (``image(bytes(svg), format: "svg")``),
so only plain SVG 1.1 that Typst's renderer (usvg) draws is used: shapes, text, tspan, a
hatch pattern, and presentation attributes for all styling (no CSS, no classes, no scripts).

Readers are often old or have low vision, so:

* Every text is given by the caller, already translated; only numbers are formatted here,
  the Norwegian way by default (``4,2``, ``38 %``, ``−0,2`` with a real minus sign).
* Text is at least 14 units high in a viewBox as wide as the ``width`` argument. The caller
  scales the SVG to its box (``width="100%"``) and asks for a narrower layout on small
  screens (``width=320``): labels then go above their bar instead of beside it, so the text
  stays as large relative to the chart.
* Colour never carries meaning alone: scale points are a light-to-dark blue scale in order,
  with the percentage written in each wide segment and the point number in the legend;
  categorical marks use Okabe–Ito colours and also differ by shape; suppressed values are
  hatched and say so in words. Everything reads in greyscale.
* The SVG has ``role="img"`` with a title and a description from the caller, which should
  carry the numbers: screen readers do not read the drawing's inner text.

Text widths are estimated from a table of character widths (the wider of Atkinson
Hyperlegible and its fallback DejaVu Sans), so labels wrap without a font engine.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape, quoteattr

__all__ = [
    "QUADRANTS",
    "ChangeRow",
    "DistributionRow",
    "IpaPoint",
    "MeanRow",
    "change_bars",
    "distribution_bars",
    "ipa_scatter",
    "is_concentrate",
    "is_significant",
    "means_with_ci",
]

FONT_FAMILY = "Atkinson Hyperlegible, DejaVu Sans, sans-serif"
FONT = 16  # statement labels, axis names
SMALL = 14  # values, ticks, legends; the platform's minimum is 12
LINE = 20  # line height for FONT
SMALL_LINE = 17  # line height for SMALL
MARGIN = 8
GAP = 12
ROW_GAP = 12
NARROW = 520  # below this width, labels go above their bar instead of beside it

INK = "#1a1a1a"  # 17.4:1 on white
MUTED = "#4d4d4d"  # 8.4:1 on white: secondary text still passes AA
AXIS = "#595959"  # 7:1: lines that must be seen (outlines, axes, crosshair)
GRID = "#d4d4d4"  # grid lines only help reading across; they should recede
WHITE = "#ffffff"
BLACK = "#000000"  # dark text on segments: black keeps 4.5:1 wherever white falls short

# Okabe–Ito colours stay apart with every common colour vision deficiency.
OI_BLUE = "#0072B2"
OI_VERMILLION = "#D55E00"
OI_ORANGE = "#E69F00"
OI_SKY = "#56B4E9"

# ColorBrewer "Blues" without its near-white first step, which would vanish on the page.
_BLUES = ("#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b")

QUADRANTS = ("concentrate", "keep_up", "low_priority", "overkill")
# Quadrants whose names share a line when both stand outside the plot (above, or below it).
PARTNERS = {
    "overkill": "keep_up",
    "keep_up": "overkill",
    "low_priority": "concentrate",
    "concentrate": "low_priority",
}

MINUS = "\u2212"
NBSP = "\u00a0"  # between a number and "%", or a value and its marker: they never part
DASH = "\u2013"  # what a suppressed value shows instead of a number
ELLIPSIS = "\u2026"

_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
# Characters XML 1.0 forbids: one stray control character would make the whole page invalid.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

Box = tuple[float, float, float, float]  # x0, y0, x1, y1


# ---------------------------------------------------------------------------------------------
# Inputs


@dataclass(frozen=True)
class DistributionRow:
    """One statement's answers: shares per scale point 1..n among those who took a stand."""

    number: str  # as printed, e.g. "3" or "3a"
    text: str  # the statement, short
    shares: Sequence[float] | None  # one per scale point, summing to 1; None: suppressed
    dont_know: float | None = None  # share of all answers; None: no such option


@dataclass(frozen=True)
class MeanRow:
    number: str
    text: str
    mean: float | None  # None: suppressed
    low: float | None = None  # confidence interval; None on either side: no whisker
    high: float | None = None
    comparison: float | None = None  # e.g. the whole service area, or last year


@dataclass(frozen=True)
class IpaPoint:
    number: str
    importance: float  # x
    performance: float  # y
    text: str = ""  # the statement, shown as a tooltip on screen


@dataclass(frozen=True)
class ChangeRow:
    number: str
    text: str
    change: float | None  # since the previous round; None: suppressed
    low: float | None = None  # confidence interval of the change
    high: float | None = None


def is_concentrate(point: IpaPoint, centre_x: float, centre_y: float) -> bool:
    """More important than the centre and performing worse: where effort should go."""
    return point.importance > centre_x and point.performance < centre_y


def is_significant(row: ChangeRow) -> bool:
    """The change's confidence interval lies wholly on one side of zero."""
    if row.low is None or row.high is None:
        return False
    return row.low > 0 or row.high < 0


# ---------------------------------------------------------------------------------------------
# Numbers


def _rounded(value: float, decimals: int) -> Decimal:
    # Half up, as people round by hand (4,25 -> 4,3); float formatting rounds half to even
    # and on the binary value. round(..., 9) first keeps 0.285 * 100 from being 28.4999...
    return Decimal(repr(round(value, 9))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)


def format_number(value: float, decimals: int = 1, decimal: str = ",", signed: bool = False) -> str:
    """``4,2``; negative with a minus sign (``−0,2``); ``signed`` puts ``+`` before positives."""
    number = _rounded(value, decimals)
    text = f"{abs(number):.{decimals}f}".replace(".", decimal)
    if number < 0:
        return MINUS + text
    if signed and number > 0:
        return "+" + text
    return text


def format_percent(share: float) -> str:
    """A share 0..1 in whole percent: ``38 %``, with a no-break space as Norwegian writes it."""
    return f"{_rounded(share * 100, 0):.0f}{NBSP}%"


def _nice_ticks(low: float, high: float, target: int = 5) -> tuple[list[float], int]:
    """Round tick values within [low, high], and how many decimals their labels need."""
    raw = (high - low) / max(target, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = 10 * magnitude
    for multiple in (1, 2, 2.5, 5):
        if multiple * magnitude >= raw - 1e-12:
            step = multiple * magnitude
            break
    ticks: list[float] = []
    value = math.ceil(low / step - 1e-9) * step
    while value <= high + 1e-9:
        ticks.append(round(value, 10))
        value += step
    decimals = next(d for d in range(6) if abs(step * 10**d - round(step * 10**d)) < 1e-6)
    return ticks, decimals


# ---------------------------------------------------------------------------------------------
# Text


_WIDTH_CLASSES: tuple[tuple[float, str], ...] = (
    (0.34, " \u00a0.,:;'!|ijl"),
    (0.46, 'frt()[]/-"I'),
    (0.56, "csz*"),
    (0.60, "kvxy?J"),
    (0.66, "abdeghnopqu0123456789øLFEPT" + DASH),
    (0.72, "ABKRSVXYZ"),
    (0.80, "CDGHNOQUØ"),
    (0.86, "+" + MINUS),
    (0.96, "mMw%"),
    (1.02, "WæÆ" + ELLIPSIS),
)
_WIDTHS: dict[str, float] = {c: w for w, chars in _WIDTH_CLASSES for c in chars}


def text_width(text: str, size: float = FONT, bold: bool = False) -> float:
    """Estimated advance width; errs wide, so that what fits by estimate fits in print."""
    total = 0.0
    for char in text:
        # An accented letter is as wide as its base letter (é as e).
        base = unicodedata.normalize("NFD", char)[:1] or char
        total += _WIDTHS.get(char, _WIDTHS.get(base, 0.7))
    return total * size * (1.1 if bold else 1.0)


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _esc(text: str) -> str:
    return escape(_clean(text))


def wrap(
    text: str, max_width: float, size: float = FONT, max_lines: int = 2, bold: bool = False
) -> list[str]:
    """Greedy word wrap. A word wider than the line is broken; what does not fit in
    ``max_lines`` is cut, and the last line ends with an ellipsis."""

    def fits(candidate: str) -> bool:
        return text_width(candidate, size, bold) <= max_width

    lines: list[str] = []
    current = ""
    for word in _clean(text).split():
        candidate = f"{current} {word}" if current else word
        if fits(candidate):
            current = candidate
            continue
        if current:
            lines.append(current)
        while len(word) > 1 and not fits(word):
            cut = len(word) - 1
            while cut > 1 and not fits(word[:cut]):
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        last = " ".join(lines[max_lines - 1 :])
        while last and not fits(last + ELLIPSIS):
            last = last[:-1].rstrip()
        lines = [*lines[: max_lines - 1], last + ELLIPSIS]
    return lines


def _baseline(centre: float, size: float) -> float:
    # usvg supports dominant-baseline only in part, so text is centred by hand: the
    # baseline sits about a third of the font size below the middle of digits and capitals.
    return centre + 0.35 * size


# ---------------------------------------------------------------------------------------------
# SVG


def _n(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _attributes(attributes: Mapping[str, object]) -> str:
    # Keyword names use underscores where SVG has dashes (font_size -> font-size).
    parts = []
    for key, value in attributes.items():
        if value is None:
            continue
        shown = _n(value) if isinstance(value, int | float) else _clean(str(value))
        parts.append(f" {key.replace('_', '-')}={quoteattr(shown)}")
    return "".join(parts)


def _el(name: str, content: str | None = None, /, **attributes: object) -> str:
    """An element; ``content`` must already be escaped markup."""
    if content is None:
        return f"<{name}{_attributes(attributes)}/>"
    return f"<{name}{_attributes(attributes)}>{content}</{name}>"


def _text(x: float, y: float, content: str, **attributes: object) -> str:
    return _el("text", content, x=x, y=y, **attributes)


def _line(x1: float, y1: float, x2: float, y2: float, **attributes: object) -> str:
    return _el("line", x1=x1, y1=y1, x2=x2, y2=y2, **attributes)


def _rect(x: float, y: float, width: float, height: float, **attributes: object) -> str:
    return _el("rect", x=x, y=y, width=width, height=height, **attributes)


def _bold_start(line: str, prefix: str) -> str:
    """A line whose first word (a statement number, the dash) is set in bold."""
    if prefix and line.startswith(prefix):
        return _el("tspan", _esc(prefix), font_weight="bold") + _esc(line[len(prefix) :])
    return _esc(line)


def _check(id_prefix: str, width: float) -> None:
    if not _ID.fullmatch(id_prefix):
        raise ValueError(f"id_prefix must be a letter, then letters, digits, - or _: {id_prefix!r}")
    if width < 240:
        raise ValueError("a chart needs a width of at least 240 to stay legible")


def _document(
    *,
    width: float,
    height: float,
    id_prefix: str,
    title: str,
    description: str,
    body: Iterable[str],
    hatch: bool = False,
) -> str:
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    root = _attributes(
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "version": "1.1",
            "width": "100%",
            "viewBox": f"0 0 {_n(width)} {_n(height)}",
            "role": "img",
            "aria-labelledby": f"{title_id} {desc_id}",
            "font-family": FONT_FAMILY,
            "font-size": FONT,
            "fill": INK,
        }
    )
    parts = [
        f"<svg{root}>",
        _el("title", _esc(title), id=title_id),
        _el("desc", _esc(description), id=desc_id),
    ]
    if hatch:
        parts.append(_el("defs", _hatch_pattern(id_prefix)))
    # Contrast was worked out against white; the page behind may be any colour.
    parts.append(_rect(0, 0, width, height, fill=WHITE))
    parts.extend(body)
    parts.append("</svg>")
    return "".join(parts)


def _hatch_pattern(id_prefix: str) -> str:
    return _el(
        "pattern",
        _rect(0, 0, 8, 8, fill="#f2f2f2") + _line(0, 0, 0, 8, stroke="#9a9a9a", stroke_width=2),
        id=f"{id_prefix}-hatch",
        width=8,
        height=8,
        patternUnits="userSpaceOnUse",
        patternTransform="rotate(45)",
    )


def _suppressed(
    id_prefix: str, *, x: float, y: float, width: float, height: float, reason: str
) -> str:
    """A hatched band with "– reason" on a white label, so the words keep their contrast."""
    lines = wrap(f"{DASH} {reason}", width - 20, SMALL, 2)
    box_w = max((text_width(line, SMALL) for line in lines), default=0.0) + 12
    box_h = len(lines) * SMALL_LINE + 2
    cx, cy = x + width / 2, y + height / 2
    parts = [
        _rect(x, y, width, height, fill=f"url(#{id_prefix}-hatch)", stroke=AXIS, stroke_width=1),
        _rect(cx - box_w / 2, cy - box_h / 2, box_w, box_h, rx=3, fill=WHITE),
    ]
    top = cy - len(lines) * SMALL_LINE / 2
    for i, line in enumerate(lines):
        parts.append(
            _text(
                cx,
                _baseline(top + (i + 0.5) * SMALL_LINE, SMALL),
                # The dash in bold: it stands where the number would have been.
                _bold_start(line, DASH if i == 0 else ""),
                text_anchor="middle",
                font_size=SMALL,
            )
        )
    return "".join(parts)


def _relative_luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours."""
    a, b = sorted((_relative_luminance(first), _relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def text_colour_on(fill: str) -> str:
    """White or black, whichever contrasts more with ``fill``: always at least 4.58:1."""
    return WHITE if contrast_ratio(fill, WHITE) >= contrast_ratio(fill, BLACK) else BLACK


def sequential_blues(count: int) -> list[str]:
    """``count`` blues from light to dark, one per scale point, so order reads without hue."""
    if count < 1:
        raise ValueError("at least one scale point")
    if count == 1:
        return [_BLUES[4]]
    colours = []
    for i in range(count):
        position = i / (count - 1) * (len(_BLUES) - 1)
        low = min(int(position), len(_BLUES) - 2)
        t = position - low
        a, b = _BLUES[low], _BLUES[low + 1]
        rgb = (
            round(int(a[j : j + 2], 16) * (1 - t) + int(b[j : j + 2], 16) * t) for j in (1, 3, 5)
        )
        colours.append("#" + "".join(f"{c:02x}" for c in rgb))
    return colours


# ---------------------------------------------------------------------------------------------
# Shared layout: legends, statement labels, rows


@dataclass(frozen=True)
class _Entry:
    """A legend entry: ``symbol(x, centre_y)`` drawn ``symbol_width`` wide, then the text."""

    symbol: Callable[[float, float], str]
    symbol_width: float
    text: str


def _legend(entries: Sequence[_Entry], *, top: float, width: float) -> tuple[str, float]:
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
                _text(
                    cursor + entry.symbol_width + 8,
                    _baseline(first + (i + 0.5) * SMALL_LINE, SMALL),
                    _esc(line),
                    font_size=SMALL,
                )
            )
        cursor += entry_w + 24
        line_height = max(line_height, entry_h)
    return "".join(parts), (line_top + line_height - top) if entries else 0.0


def _columns(width: float) -> tuple[bool, float, float]:
    """Narrow or not, where the graphic starts, and the room for statement labels."""
    inner = width - 2 * MARGIN
    if width < NARROW:
        return True, MARGIN, inner
    label_w = round(inner * 0.36)
    return False, MARGIN + label_w + GAP, label_w


@dataclass(frozen=True)
class _Row:
    """Where one statement's row lies: its label lines, the graphic's centre line, the band
    that grid lines run through, and where the next row starts."""

    label: str
    centre: float
    band: tuple[float, float]
    next_y: float


def _row(
    number: str,
    text: str,
    *,
    y: float,
    narrow: bool,
    label_w: float,
    above: float,
    below: float,
    spacing: float = 4,
) -> _Row:
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
        parts.append(_el("title", _esc(full)))  # the whole statement, on hover
    for i, line in enumerate(lines):
        parts.append(
            _text(
                MARGIN,
                _baseline(label_top + (i + 0.5) * LINE, FONT),
                _bold_start(line, number if i == 0 else ""),
            )
        )
    return _Row("".join(parts), centre, band, y + row_h + ROW_GAP)


# ---------------------------------------------------------------------------------------------
# 1. Distribution of answers: 100 % stacked bars


BAR_H = 30
MIN_LABELLED = 0.07  # narrower segments get no percentage: it would not fit


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
    _check(id_prefix, width)
    colours = sequential_blues(len(point_labels))
    for row in rows:
        if row.shares is not None:
            if len(row.shares) != len(point_labels):
                raise ValueError(f"row {row.number}: {len(row.shares)} shares, not one per point")
            if any(s < 0 for s in row.shares) or abs(sum(row.shares) - 1) > 0.02:
                raise ValueError(f"row {row.number}: shares must be at least 0 and sum to 1")
        if row.dont_know is not None and not 0 <= row.dont_know <= 1:
            raise ValueError(f"row {row.number}: dont_know must be between 0 and 1")

    narrow, bar_x, label_w = _columns(width)
    header = wrap(dont_know_label, 110, SMALL, 2, bold=True)
    dk_w = max([text_width("100 %", SMALL)] + [text_width(t, SMALL, bold=True) for t in header])
    dk_right = width - MARGIN
    bar_w = dk_right - dk_w - GAP - bar_x

    def swatch(point: int) -> Callable[[float, float], str]:
        # The point's number in its colour: the legend reads in greyscale too.
        def draw(x: float, centre: float) -> str:
            fill = colours[point]
            return _rect(x, centre - 11, 26, 22, fill=fill, stroke=AXIS, stroke_width=1) + _text(
                x + 13,
                _baseline(centre, SMALL),
                str(point + 1),
                text_anchor="middle",
                font_size=SMALL,
                font_weight="bold",
                fill=text_colour_on(fill),
            )

        return draw

    legend, legend_h = _legend(
        [_Entry(swatch(i), 26, label) for i, label in enumerate(point_labels)],
        top=MARGIN,
        width=width,
    )
    body = [_el("g", legend, id=f"{id_prefix}-legend")]

    # The header line: a percent scale over the bars (so that the bare numbers in the
    # segments read as percent) and the don't-know column's name.
    y = MARGIN + legend_h + GAP
    header_h = len(header) * SMALL_LINE
    for i, line in enumerate(header):
        body.append(
            _text(
                dk_right,
                _baseline(y + (i + 0.5) * SMALL_LINE, SMALL),
                _esc(line),
                text_anchor="end",
                font_size=SMALL,
                font_weight="bold",
            )
        )
    scale_line = y + header_h - SMALL_LINE / 2 - 2
    marks = (0, 25, 50, 75, 100) if bar_w >= 300 else (0, 50, 100)
    scale: list[str] = []
    for mark in marks:
        x = bar_x + bar_w * mark / 100
        anchor = "start" if mark == 0 else "end" if mark == 100 else "middle"
        scale.append(
            _text(
                x,
                _baseline(scale_line, SMALL),
                f"{mark}{NBSP}%",
                text_anchor=anchor,
                font_size=SMALL,
                fill=MUTED,
            )
        )
        scale.append(_line(x, scale_line + 9, x, scale_line + 14, stroke=AXIS))
    body.append(_el("g", "".join(scale), id=f"{id_prefix}-scale"))
    y += header_h + 8

    hatch = False
    for index, row in enumerate(rows):
        layout = _row(
            row.number,
            row.text,
            y=y,
            narrow=narrow,
            label_w=label_w,
            above=BAR_H / 2,
            below=BAR_H / 2,
        )
        centre, bar_top = layout.centre, layout.centre - BAR_H / 2
        bar: list[str] = []
        if row.shares is None:
            hatch = True
            bar.append(
                _suppressed(
                    id_prefix, x=bar_x, y=bar_top, width=bar_w, height=BAR_H, reason=suppressed_text
                )
            )
            dont_know = DASH
        else:
            total = sum(row.shares)
            x = bar_x
            for point, share in enumerate(row.shares):
                if share <= 0:
                    continue
                segment_w = share / total * bar_w
                # Thin white borders part the segments where neighbouring blues are close.
                bar.append(
                    _rect(
                        x,
                        bar_top,
                        segment_w,
                        BAR_H,
                        id=f"{id_prefix}-seg-{index}-{point}",
                        fill=colours[point],
                        stroke=WHITE,
                        stroke_width=1.5,
                    )
                )
                shown = format_percent(share / total).split(NBSP)[0]
                if share / total >= MIN_LABELLED and (
                    text_width(shown, SMALL, bold=True) + 4 <= segment_w
                ):
                    bar.append(
                        _text(
                            x + segment_w / 2,
                            _baseline(centre, SMALL),
                            shown,
                            text_anchor="middle",
                            font_size=SMALL,
                            font_weight="bold",
                            fill=text_colour_on(colours[point]),
                        )
                    )
                x += segment_w
            # The outline keeps the lightest segment visible on the white page.
            bar.append(_rect(bar_x, bar_top, bar_w, BAR_H, fill="none", stroke=AXIS))
            dont_know = "" if row.dont_know is None else format_percent(row.dont_know)
        parts = [layout.label, _el("g", "".join(bar), id=f"{id_prefix}-bar-{index}")]
        if dont_know:
            parts.append(
                _text(
                    dk_right,
                    _baseline(centre, SMALL),
                    _esc(dont_know),
                    id=f"{id_prefix}-dk-{index}",
                    text_anchor="end",
                    font_size=SMALL,
                )
            )
        body.append(_el("g", "".join(parts), id=f"{id_prefix}-row-{index}"))
        y = layout.next_y

    return _document(
        width=width,
        height=y - ROW_GAP + MARGIN,
        id_prefix=id_prefix,
        title=title,
        description=description,
        body=body,
        hatch=hatch,
    )


# ---------------------------------------------------------------------------------------------
# 2. Means with confidence intervals


def _circle(x: float, y: float, r: float = 7) -> str:
    # The white ring parts the dot from the whisker and grid lines running through it.
    return _el("circle", cx=x, cy=y, r=r, fill=OI_BLUE, stroke=WHITE, stroke_width=1.5)


def _diamond(x: float, y: float, half: float = 8) -> str:
    # Hollow, so that a dot at the same value still shows inside it.
    corners = ((x, y - half), (x + half, y), (x, y + half), (x - half, y))
    points = " ".join(f"{_n(a)},{_n(b)}" for a, b in corners)
    return _el("polygon", points=points, fill="none", stroke=OI_VERMILLION, stroke_width=2.5)


def _whisker(x1: float, x2: float, y: float, cap: float = 7) -> str:
    return (
        _line(x1, y, x2, y, stroke=INK, stroke_width=2)
        + _line(x1, y - cap, x1, y + cap, stroke=INK, stroke_width=2)
        + _line(x2, y - cap, x2, y + cap, stroke=INK, stroke_width=2)
    )


def _value(x: float, baseline: float, text: str, **attributes: object) -> str:
    """A value centred at ``x`` on a white patch, so that grid lines do not cross it."""
    bold = attributes.get("font_weight") == "bold"
    w = text_width(text, SMALL, bold) + 4
    patch = _rect(x - w / 2, baseline - 0.8 * SMALL, w, SMALL, fill=WHITE)
    return patch + _text(
        x, baseline, _esc(text), text_anchor="middle", font_size=SMALL, **attributes
    )


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
    _check(id_prefix, width)
    if scale_max <= scale_min:
        raise ValueError("scale_max must be above scale_min")
    for row in rows:
        for value in (row.mean, row.comparison):
            if value is not None and not scale_min <= value <= scale_max:
                raise ValueError(f"row {row.number}: {value} lies outside the scale")

    narrow, graph_x, label_w = _columns(width)
    # Values are centred on their mark: keep half a value's width free at both ends.
    pad = text_width(format_number(scale_max, 1, decimal), SMALL, bold=True) / 2 + 4
    x0, x1 = graph_x + pad, width - MARGIN - pad

    def at(value: float) -> float:
        # Intervals may reach past the scale (normal approximation); they stop at its ends.
        clamped = min(max(value, scale_min), scale_max)
        return x0 + (clamped - scale_min) / (scale_max - scale_min) * (x1 - x0)

    entries: list[_Entry] = []
    if mean_label:
        entries.append(
            _Entry(lambda x, c: _whisker(x + 2, x + 34, c, 6) + _circle(x + 18, c), 36, mean_label)
        )
    with_comparison = any(row.comparison is not None for row in rows)
    if with_comparison:
        entries.append(_Entry(lambda x, c: _diamond(x + 18, c), 36, comparison_label))
    legend, legend_h = _legend(entries, top=MARGIN, width=width)
    body: list[str] = []
    if entries:
        body.append(_el("g", legend, id=f"{id_prefix}-legend"))
    y = MARGIN + legend_h + (GAP + ROW_GAP / 2 if entries else ROW_GAP / 2)

    above = SMALL_LINE + 8  # room for the mean's value over the dot
    below = SMALL_LINE + 9 if with_comparison else 10  # and the comparison's under it
    grid: list[str] = []
    rows_markup: list[str] = []
    hatch = False
    ticks = range(scale_min, scale_max + 1)
    for index, row in enumerate(rows):
        layout = _row(
            row.number,
            row.text,
            y=y,
            narrow=narrow,
            label_w=label_w,
            above=above,
            below=below,
            spacing=0,
        )
        centre = layout.centre
        # Grid lines run through the graphic's band only, never through labels above it.
        grid += [_line(at(t), *layout.band[:1], at(t), layout.band[1], stroke=GRID) for t in ticks]
        parts = [layout.label]
        if row.mean is None:
            hatch = True
            parts.append(
                _suppressed(
                    id_prefix,
                    x=graph_x,
                    y=centre - 15,
                    width=x1 - x0 + 2 * pad,
                    height=30,
                    reason=suppressed_text,
                )
            )
        else:
            marks: list[str] = []
            if row.low is not None and row.high is not None:
                marks.append(_whisker(at(row.low), at(row.high), centre))
            marks.append(_circle(at(row.mean), centre))
            marks.append(
                _value(
                    at(row.mean),
                    centre - 11,
                    format_number(row.mean, 1, decimal),
                    id=f"{id_prefix}-value-{index}",
                    font_weight="bold",
                )
            )
            if row.comparison is not None:
                marks.append(_diamond(at(row.comparison), centre))
                marks.append(
                    _value(
                        at(row.comparison),
                        centre + 10 + 0.8 * SMALL,
                        format_number(row.comparison, 1, decimal),
                        id=f"{id_prefix}-comparison-{index}",
                        fill=MUTED,
                    )
                )
            parts.append(_el("g", "".join(marks), id=f"{id_prefix}-mark-{index}"))
        rows_markup.append(_el("g", "".join(parts), id=f"{id_prefix}-row-{index}"))
        y = layout.next_y
    bottom = y - ROW_GAP / 2

    body.append(_el("g", "".join(grid), id=f"{id_prefix}-grid"))  # under the marks
    body.extend(rows_markup)
    axis = [_line(x0, bottom, x1, bottom, stroke=AXIS)]
    for tick in ticks:
        axis.append(_line(at(tick), bottom, at(tick), bottom + 5, stroke=AXIS))
        axis.append(
            _text(
                at(tick), bottom + 8 + 0.8 * SMALL, str(tick), text_anchor="middle", font_size=SMALL
            )
        )
    body.append(_el("g", "".join(axis), id=f"{id_prefix}-axis"))
    return _document(
        width=width,
        height=bottom + 8 + SMALL_LINE + MARGIN,
        id_prefix=id_prefix,
        title=title,
        description=description,
        body=body,
        hatch=hatch,
    )


# ---------------------------------------------------------------------------------------------
# 3. Importance–performance scatter


def _triangle(x: float, y: float, size: float = 9) -> str:
    corners = ((x, y - size), (x + size, y + size * 0.8), (x - size, y + size * 0.8))
    points = " ".join(f"{_n(a)},{_n(b)}" for a, b in corners)
    return _el("polygon", points=points, fill=OI_VERMILLION, stroke=WHITE, stroke_width=1)


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _free(box: Box, frame: Box, obstacles: Iterable[Box]) -> bool:
    inside = box[0] >= frame[0] and box[1] >= frame[1] and box[2] <= frame[2] and box[3] <= frame[3]
    return inside and not any(_overlaps(box, other) for other in obstacles)


def _quadrant_names(
    labels: Mapping[str, str],
    *,
    plot: Box,
    centre: tuple[float, float],
    markers: Sequence[Box],
) -> dict[str, tuple[list[str], Box | None]]:
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
    placed: dict[str, tuple[list[str], Box | None]] = {}
    taken: list[Box] = []
    for key, (qx0, qy0, qx1, qy1) in extents.items():
        from_left, from_top = key in ("overkill", "low_priority"), key in ("overkill", "keep_up")
        room = qx1 - qx0 - 16
        text = labels[key]
        words_fit = all(text_width(w, SMALL, bold=True) <= room for w in text.split())
        lines = wrap(text, room, SMALL, 3, bold=True) if words_fit else []
        found: Box | None = None
        if lines and not lines[-1].endswith(ELLIPSIS):
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
                if _free(box, (qx0, qy0, qx1, qy1), [*markers, *taken]):
                    found = box
                    taken.append(box)
                    break
        placed[key] = (lines, found)
    # Outside the frame a name shares its line with its neighbour's, if that is outside too.
    for key, partner in PARTNERS.items():
        if placed[key][1] is None:
            share = 0.5 if placed[partner][1] is None else 0.75
            placed[key] = (wrap(labels[key], (right - left) * share - 8, SMALL, 3, bold=True), None)
    return placed


def _label_spots(x: float, y: float, label_w: float) -> list[tuple[float, float, bool]]:
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


def _leader(x: float, y: float, box: Box) -> tuple[tuple[float, float], tuple[float, float]]:
    """A leader line from a marker's edge to the nearest point of its label's box."""
    ex, ey = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])
    distance = math.hypot(ex - x, ey - y) or 1.0
    return (x + (ex - x) * 9 / distance, y + (ey - y) * 9 / distance), (ex, ey)


def _place_label(
    x: float, y: float, label_w: float, frame: Box, obstacles: Sequence[Box]
) -> tuple[Box, bool]:
    """The box for a point's number at the first free spot around its marker, and whether
    it stands far enough out to need a leader line (the first spot if none is free)."""
    half_h = SMALL_LINE / 2
    candidates = [
        ((sx - 1, sy - half_h, sx + label_w + 1, sy + half_h), far)
        for sx, sy, far in _label_spots(x, y, label_w)
    ]
    for box, far in candidates:
        if not _free(box, frame, obstacles):
            continue
        # A leader must not run through another number or marker: "2—12" reads as a range.
        (x1, y1), (x2, y2) = _leader(x, y, box)
        samples = [(x1 + (x2 - x1) * k / 8, y1 + (y2 - y1) * k / 8) for k in range(9)]
        # (Markers on the point itself are left out: a leader has to start among them.)
        around = [o for o in obstacles if not (o[0] <= x <= o[2] and o[1] <= y <= o[3])]
        crossed = any(
            o[0] <= sx <= o[2] and o[1] <= sy <= o[3] for sx, sy in samples for o in around
        )
        if not (far and crossed):
            return box, far
    # Nowhere clean: a free spot with a leader across another number, else the nearest.
    free = [(box, far) for box, far in candidates if _free(box, frame, obstacles)]
    return (free or candidates)[0]


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
    _check(id_prefix, width)
    missing = set(QUADRANTS) - set(quadrant_labels)
    if missing:
        raise ValueError(f"quadrant_labels lacks {sorted(missing)}")
    (dx0, dx1), (dy0, dy1) = x_domain, y_domain
    if dx1 <= dx0 or dy1 <= dy0:
        raise ValueError("a domain runs from low to high")
    if not (dx0 <= centre_x <= dx1 and dy0 <= centre_y <= dy1):
        raise ValueError("the centre lies outside the domains")
    for point in points:
        if not (dx0 <= point.importance <= dx1 and dy0 <= point.performance <= dy1):
            raise ValueError(f"point {point.number} lies outside the domains")

    narrow = width < NARROW
    x_ticks, x_decimals = _nice_ticks(dx0, dx1, 5 if narrow else 6)
    y_ticks, y_decimals = _nice_ticks(dy0, dy1, 5 if narrow else 6)
    x_tick_labels = [format_number(t, x_decimals, decimal) for t in x_ticks]
    y_tick_labels = [format_number(t, y_decimals, decimal) for t in y_ticks]
    left = MARGIN + LINE + 6 + max(text_width(t, SMALL) for t in y_tick_labels) + 8
    right = width - MARGIN - text_width(x_tick_labels[-1], SMALL) / 2
    plot_w = right - left
    plot_h = plot_w * (1.0 if narrow else 0.72)
    fx, fy = (centre_x - dx0) / (dx1 - dx0), (dy1 - centre_y) / (dy1 - dy0)
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
        markers=[(x - 10, y - 10, x + 10, y + 10) for x, y in relative],
    )
    outside_top = [names[k] for k in ("overkill", "keep_up") if names[k][1] is None]
    outside_bottom = [names[k] for k in ("low_priority", "concentrate") if names[k][1] is None]
    top_band = max((len(lines) * SMALL_LINE + 6 for lines, _ in outside_top), default=0)
    top = MARGIN + max(SMALL_LINE / 2, top_band)
    bottom = top + plot_h
    frame: Box = (left, top, right, bottom)

    def px(value: float) -> float:
        return left + (value - dx0) / (dx1 - dx0) * plot_w

    def py(value: float) -> float:
        return bottom - (value - dy0) / (dy1 - dy0) * plot_h

    cx, cy = px(centre_x), py(centre_y)
    xy = [(px(p.importance), py(p.performance)) for p in points]
    marker_boxes: list[Box] = [(x - 10, y - 10, x + 10, y + 10) for x, y in xy]

    # A faint tint on the quadrant that matters most; its name says the same in words.
    body = [_rect(cx, cy, right - cx, bottom - cy, id=f"{id_prefix}-concentrate", fill="#fcebdc")]
    grid = [_line(px(t), top, px(t), bottom, stroke=GRID) for t in x_ticks]
    grid += [_line(left, py(t), right, py(t), stroke=GRID) for t in y_ticks]
    body.append(_el("g", "".join(grid), id=f"{id_prefix}-grid"))
    body.append(_rect(left, top, plot_w, plot_h, fill="none", stroke=AXIS))

    # Quadrant names inside the plot, on white so that lines behind do not cut the letters;
    # those that found no room there stand outside the frame by their corner.
    taken: list[Box] = []
    ticks_bottom = bottom + 8 + SMALL_LINE
    for key, (lines, inside) in names.items():
        from_left = key in ("overkill", "low_priority")
        anchor = "start" if from_left else "end"
        group: list[str] = []
        if inside is not None:
            box = (inside[0], inside[1] + top, inside[2], inside[3] + top)
            taken.append(box)
            group.append(
                _rect(
                    box[0], box[1], box[2] - box[0], box[3] - box[1], fill=WHITE, fill_opacity=0.85
                )
            )
            text_x, first = (box[0] + 4 if from_left else box[2] - 4), box[1] + 2
        else:
            text_x = left if from_left else right
            if key in ("overkill", "keep_up"):
                first = top - 6 - len(lines) * SMALL_LINE
            else:
                first = ticks_bottom + 4
        for i, line in enumerate(lines):
            group.append(
                _text(
                    text_x,
                    _baseline(first + (i + 0.5) * SMALL_LINE, SMALL),
                    _esc(line),
                    text_anchor=anchor,
                    font_size=SMALL,
                    font_weight="bold",
                )
            )
        body.append(_el("g", "".join(group), id=f"{id_prefix}-quadrant-{key}"))
    bottom_band = max((len(lines) * SMALL_LINE + 8 for lines, _ in outside_bottom), default=0)

    crosshair = {"stroke": AXIS, "stroke_width": 1.5, "stroke_dasharray": "6 4"}
    body.append(_line(cx, top, cx, bottom, **crosshair))
    body.append(_line(left, cy, right, cy, **crosshair))

    # The diagonal y - centre_y = x - centre_x in data units, cut to the plot.
    shift = centre_y - centre_x
    start, end = max(dx0, dy0 - shift), min(dx1, dy1 - shift)
    ax, ay, bx_, by_ = px(start), py(start + shift), px(end), py(end + shift)
    body.append(_line(ax, ay, bx_, by_, id=f"{id_prefix}-diagonal", stroke=MUTED, stroke_width=1.5))
    # Its label runs along it, on the first free spot of a fixed list (nearest the upper
    # end first, where points are fewest), so the same data always gives the same picture.
    length = math.hypot(bx_ - ax, by_ - ay) or 1.0
    ux, uy = (bx_ - ax) / length, (by_ - ay) / length
    nx, ny = uy, -ux  # the side "above" the line, in the text's own frame
    diagonal_text = (wrap(diagonal_label, length * 0.45, SMALL, 1) or [""])[0]
    half_text = text_width(diagonal_text, SMALL) / 2
    along_line: list[tuple[float, float, list[Box]]] = []
    for t in (0.72, 0.62, 0.82, 0.52, 0.9, 0.42, 0.32, 0.22):
        for lift in (5, -(5 + 0.75 * SMALL)):  # baseline over the line, or under it
            mx, my = ax + ux * length * t + nx * lift, ay + uy * length * t + ny * lift
            # Small boxes along the middle of the letters stand in for the rotated text.
            mid_x, mid_y = mx + nx * 0.35 * SMALL, my + ny * 0.35 * SMALL
            along = [-half_text + k * half_text / 4 for k in range(9)]
            along_line.append(
                (
                    mx,
                    my,
                    [
                        (
                            mid_x + ux * s - 6,
                            mid_y + uy * s - 6,
                            mid_x + ux * s + 6,
                            mid_y + uy * s + 6,
                        )
                        for s in along
                    ],
                )
            )
    mx, my, diagonal_boxes = next(
        (
            spot
            for spot in along_line
            if all(_free(b, frame, marker_boxes + taken) for b in spot[2])
        ),
        along_line[0],
    )
    angle = math.degrees(math.atan2(uy, ux))
    body.append(
        _text(
            mx,
            my,
            _esc(diagonal_text),
            id=f"{id_prefix}-diagonal-label",
            text_anchor="middle",
            font_size=SMALL,
            fill=MUTED,
            transform=f"rotate({_n(angle)} {_n(mx)} {_n(my)})",
        )
    )

    # Each number goes beside its marker, on the first free spot of a fixed list: never on
    # another label, marker or name, and the same way every time. Crowded points push their
    # numbers further out; a thin leader line then shows whose number it is.
    placed: list[Box] = []
    marks: list[str] = []
    for index, (point, (x, y)) in enumerate(zip(points, xy, strict=True)):
        label_w = text_width(point.number, SMALL, bold=True)
        obstacles = [b for i, b in enumerate(marker_boxes) if i != index]
        obstacles += taken + diagonal_boxes + placed
        box, far = _place_label(x, y, label_w, frame, obstacles)
        placed.append(box)
        leader = ""
        if far:
            (lx1, ly1), (lx2, ly2) = _leader(x, y, box)
            leader = _line(lx1, ly1, lx2, ly2, stroke=MUTED, stroke_width=1)
        concentrate = is_concentrate(point, centre_x, centre_y)
        marker = _triangle(x, y) if concentrate else _circle(x, y, 6)
        tooltip = _el("title", _esc(f"{point.number} {point.text}".strip()))
        label = _text(
            box[0] + 1,
            _baseline((box[1] + box[3]) / 2, SMALL),
            _esc(point.number),
            font_size=SMALL,
            font_weight="bold",
        )
        marks.append(_el("g", tooltip + leader + marker + label, id=f"{id_prefix}-point-{index}"))
    body.extend(marks)

    x_axis: list[str] = []
    for tick, text in zip(x_ticks, x_tick_labels, strict=True):
        x_axis.append(
            _text(
                px(tick),
                bottom + 8 + 0.8 * SMALL,
                _esc(text),
                text_anchor="middle",
                font_size=SMALL,
            )
        )
    body.append(_el("g", "".join(x_axis), id=f"{id_prefix}-x-ticks"))
    y_axis: list[str] = []
    for tick, text in zip(y_ticks, y_tick_labels, strict=True):
        y_axis.append(
            _text(
                left - 8, _baseline(py(tick), SMALL), _esc(text), text_anchor="end", font_size=SMALL
            )
        )
    body.append(_el("g", "".join(y_axis), id=f"{id_prefix}-y-ticks"))
    axis_names: list[str] = []
    x_label_lines = wrap(x_label, plot_w, FONT, 2, bold=True)
    label_top = ticks_bottom + bottom_band + 4
    for i, line in enumerate(x_label_lines):
        axis_names.append(
            _text(
                left + plot_w / 2,
                _baseline(label_top + (i + 0.5) * LINE, FONT),
                _esc(line),
                text_anchor="middle",
                font_weight="bold",
            )
        )
    y_text = (wrap(y_label, plot_h, FONT, 1, bold=True) or [""])[0]
    yx, yy = MARGIN + LINE / 2 + 0.35 * FONT, top + plot_h / 2
    axis_names.append(
        _text(
            yx,
            yy,
            _esc(y_text),
            text_anchor="middle",
            font_weight="bold",
            transform=f"rotate(-90 {_n(yx)} {_n(yy)})",
        )
    )
    body.append(_el("g", "".join(axis_names), id=f"{id_prefix}-axis-names"))
    return _document(
        width=width,
        height=label_top + len(x_label_lines) * LINE + MARGIN,
        id_prefix=id_prefix,
        title=title,
        description=description,
        body=body,
    )


# ---------------------------------------------------------------------------------------------
# 4. Change since the previous round: diverging bars


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
    _check(id_prefix, width)
    if span <= 0:
        raise ValueError("span must be positive")
    reach = [abs(v) for row in rows for v in (row.change, row.low, row.high) if v is not None]
    half = max([span, *reach])
    if half > span:
        half = math.ceil(half * 2 - 1e-9) / 2

    narrow, graph_x, label_w = _columns(width)
    marker = NBSP + significant_marker
    value_w = text_width(format_number(-half, 1, decimal) + marker, SMALL, bold=True)
    x0, x1 = graph_x + value_w + 10, width - MARGIN - value_w - 10
    # Ticks symmetric around zero, about one per 70 units, and always at least at ±half.
    ticks, decimals = _nice_ticks(-half, half, max(2, int((x1 - x0) // 70)))
    if len(ticks) < 3:
        ticks, decimals = [-half, 0.0, half], 1

    def at(value: float) -> float:
        return x0 + (value + half) / (2 * half) * (x1 - x0)

    def marker_symbol(x: float, centre: float) -> str:
        return _text(
            x + 6,
            _baseline(centre, FONT),
            _esc(significant_marker),
            font_weight="bold",
            text_anchor="middle",
        )

    legend, legend_h = _legend(
        [_Entry(marker_symbol, 12, significant_label)], top=MARGIN, width=width
    )
    body = [_el("g", legend, id=f"{id_prefix}-legend")]
    y = MARGIN + legend_h + GAP + ROW_GAP / 2

    bar_h = 20
    grid: list[str] = []
    zero: list[str] = []
    rows_markup: list[str] = []
    hatch = False
    for index, row in enumerate(rows):
        layout = _row(
            row.number,
            row.text,
            y=y,
            narrow=narrow,
            label_w=label_w,
            above=15,
            below=15,
            spacing=2,
        )
        centre, (band_top, band_bottom) = layout.centre, layout.band
        parts = [layout.label]
        if row.change is None:
            hatch = True
            parts.append(
                _suppressed(
                    id_prefix,
                    x=graph_x,
                    y=centre - 15,
                    width=width - MARGIN - graph_x,
                    height=30,
                    reason=suppressed_text,
                )
            )
        else:
            grid += [_line(at(t), band_top, at(t), band_bottom, stroke=GRID) for t in ticks if t]
            # Through the graphic's band only, so it never strikes through a label.
            zero.append(_line(at(0), band_top, at(0), band_bottom, stroke=INK, stroke_width=2))
            significant = is_significant(row)
            start, end = at(0), at(row.change)
            marks = [
                _rect(
                    min(start, end),
                    centre - bar_h / 2,
                    abs(end - start),
                    bar_h,
                    id=f"{id_prefix}-bar-{index}",
                    fill=OI_SKY if row.change >= 0 else OI_ORANGE,
                    stroke=INK,
                    stroke_width=1,
                )
            ]
            extent = [row.change]
            if row.low is not None and row.high is not None:
                marks.append(_whisker(at(row.low), at(row.high), centre, 6))
                extent += [row.low, row.high]
            value = _esc(format_number(row.change, 1, decimal, signed=True))
            if significant:
                value += _esc(marker)
            positive = row.change >= 0
            marks.append(
                _text(
                    at(max(extent)) + 8 if positive else at(min(extent)) - 8,
                    _baseline(centre, SMALL),
                    value,
                    id=f"{id_prefix}-value-{index}",
                    text_anchor="start" if positive else "end",
                    font_size=SMALL,
                    font_weight="bold" if significant else None,
                )
            )
            parts.append(_el("g", "".join(marks), id=f"{id_prefix}-mark-{index}"))
        rows_markup.append(_el("g", "".join(parts), id=f"{id_prefix}-row-{index}"))
        y = layout.next_y
    bottom = y - ROW_GAP / 2

    body.append(_el("g", "".join(grid), id=f"{id_prefix}-grid"))
    body.extend(rows_markup)
    body.append(_el("g", "".join(zero), id=f"{id_prefix}-zero"))  # every bar starts from it
    axis = [_line(x0, bottom, x1, bottom, stroke=AXIS)]
    for tick in ticks:
        axis.append(_line(at(tick), bottom, at(tick), bottom + 5, stroke=AXIS))
        axis.append(
            _text(
                at(tick),
                bottom + 8 + 0.8 * SMALL,
                "0"
                if tick == 0
                else _esc(format_number(tick, max(decimals, 1), decimal, signed=True)),
                text_anchor="middle",
                font_size=SMALL,
            )
        )
    body.append(_el("g", "".join(axis), id=f"{id_prefix}-axis"))
    return _document(
        width=width,
        height=bottom + 8 + SMALL_LINE + MARGIN,
        id_prefix=id_prefix,
        title=title,
        description=description,
        body=body,
        hatch=hatch,
    )
