"""Colours that keep their contrast: WCAG ratios, text on a fill, the blues of a scale."""

from __future__ import annotations

from .style import BLACK, WHITE

# ColorBrewer "Blues" without its near-white first step, which would vanish on the page.
_BLUES = ("#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b")


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
