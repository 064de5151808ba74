"""Text without a font engine: estimated widths, word wrap, escaping, centring by hand.

Text widths are estimated from a table of character widths (the wider of Atkinson
Hyperlegible and its fallback DejaVu Sans), so labels wrap without a font engine.
"""

from __future__ import annotations

import re
import unicodedata
from xml.sax.saxutils import escape

from .style import DASH, ELLIPSIS, FONT, MINUS

# Characters XML 1.0 forbids: one stray control character would make the whole page invalid.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

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


def clean(text: str) -> str:
    """``text`` without the characters XML cannot hold."""
    return _NOT_XML.sub("", text)


def esc(text: str) -> str:
    """``text`` as element content."""
    return escape(clean(text))


def wrap(
    text: str, max_width: float, size: float = FONT, max_lines: int = 2, bold: bool = False
) -> list[str]:
    """Greedy word wrap. A word wider than the line is broken; what does not fit in
    ``max_lines`` is cut, and the last line ends with an ellipsis."""

    def fits(candidate: str) -> bool:
        return text_width(candidate, size, bold) <= max_width

    lines: list[str] = []
    current = ""
    for word in clean(text).split():
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


def baseline(centre: float, size: float) -> float:
    """Where text of ``size`` whose middle is at ``centre`` has its baseline."""
    # usvg supports dominant-baseline only in part, so text is centred by hand: the
    # baseline sits about a third of the font size below the middle of digits and capitals.
    return centre + 0.35 * size
