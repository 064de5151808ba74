"""Colour arithmetic for the municipality's brand colour (WCAG 2.1 contrast, no Django)."""

from __future__ import annotations

import base64
import hashlib
import re

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

# WCAG 2.1 success criterion 1.4.3: normal text needs a contrast ratio of at least 4.5:1.
MIN_TEXT_CONTRAST = 4.5
WHITE = "#ffffff"


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a ``#rrggbb`` colour, from 0 (black) to 1 (white)."""
    if not HEX_COLOUR.match(colour):
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    red, green, blue = linear
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio between two colours, from 1 (none) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def brand_rule(colour: str) -> str:
    """The one inline style rule a page has: the brand colour as a CSS custom property.

    Pages put it in a ``<style>`` element, and the Content-Security-Policy allows exactly
    this text by its hash (``style_hash``), so both must come from here.
    """
    return f":root {{ --brand: {colour}; }}"


def style_hash(text: str) -> str:
    """The CSP source that allows an inline ``<style>`` element holding exactly ``text``."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"
