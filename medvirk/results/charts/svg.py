"""SVG elements as strings, the document around a chart, and the hatched "suppressed" band."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from xml.sax.saxutils import quoteattr

from .style import AXIS, DASH, FONT, FONT_FAMILY, INK, SMALL, SMALL_LINE, WHITE
from .typography import baseline, clean, esc, text_width, wrap

_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def num(value: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros, never ``-0``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def attributes(values: Mapping[str, object]) -> str:
    # Keyword names use underscores where SVG has dashes (font_size -> font-size).
    parts = []
    for key, value in values.items():
        if value is None:
            continue
        shown = num(value) if isinstance(value, int | float) else clean(str(value))
        parts.append(f" {key.replace('_', '-')}={quoteattr(shown)}")
    return "".join(parts)


def el(name: str, content: str | None = None, /, **values: object) -> str:
    """An element; ``content`` must already be escaped markup."""
    if content is None:
        return f"<{name}{attributes(values)}/>"
    return f"<{name}{attributes(values)}>{content}</{name}>"


def text(x: float, y: float, content: str, **values: object) -> str:
    return el("text", content, x=x, y=y, **values)


def line(x1: float, y1: float, x2: float, y2: float, **values: object) -> str:
    return el("line", x1=x1, y1=y1, x2=x2, y2=y2, **values)


def rect(x: float, y: float, width: float, height: float, **values: object) -> str:
    return el("rect", x=x, y=y, width=width, height=height, **values)


def bold_start(content: str, prefix: str) -> str:
    """A line whose first word (a statement number, the dash) is set in bold."""
    if prefix and content.startswith(prefix):
        return el("tspan", esc(prefix), font_weight="bold") + esc(content[len(prefix) :])
    return esc(content)


def check(id_prefix: str, width: float) -> None:
    if not _ID.fullmatch(id_prefix):
        raise ValueError(f"id_prefix must be a letter, then letters, digits, - or _: {id_prefix!r}")
    if width < 240:
        raise ValueError("a chart needs a width of at least 240 to stay legible")


def document(
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
    root = attributes(
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "version": "1.1",
            "width": "100%",
            "viewBox": f"0 0 {num(width)} {num(height)}",
            "role": "img",
            "aria-labelledby": f"{title_id} {desc_id}",
            "font-family": FONT_FAMILY,
            "font-size": FONT,
            "fill": INK,
        }
    )
    parts = [
        f"<svg{root}>",
        el("title", esc(title), id=title_id),
        el("desc", esc(description), id=desc_id),
    ]
    if hatch:
        parts.append(el("defs", _hatch_pattern(id_prefix)))
    # Contrast was worked out against white; the page behind may be any colour.
    parts.append(rect(0, 0, width, height, fill=WHITE))
    parts.extend(body)
    parts.append("</svg>")
    return "".join(parts)


def _hatch_pattern(id_prefix: str) -> str:
    return el(
        "pattern",
        rect(0, 0, 8, 8, fill="#f2f2f2") + line(0, 0, 0, 8, stroke="#9a9a9a", stroke_width=2),
        id=f"{id_prefix}-hatch",
        width=8,
        height=8,
        patternUnits="userSpaceOnUse",
        patternTransform="rotate(45)",
    )


def suppressed(
    id_prefix: str, *, x: float, y: float, width: float, height: float, reason: str
) -> str:
    """A hatched band with "– reason" on a white label, so the words keep their contrast.
    The document must then be made with ``hatch=True``."""
    lines = wrap(f"{DASH} {reason}", width - 20, SMALL, 2)
    box_w = max((text_width(each, SMALL) for each in lines), default=0.0) + 12
    box_h = len(lines) * SMALL_LINE + 2
    cx, cy = x + width / 2, y + height / 2
    parts = [
        rect(x, y, width, height, fill=f"url(#{id_prefix}-hatch)", stroke=AXIS, stroke_width=1),
        rect(cx - box_w / 2, cy - box_h / 2, box_w, box_h, rx=3, fill=WHITE),
    ]
    top = cy - len(lines) * SMALL_LINE / 2
    for i, content in enumerate(lines):
        parts.append(
            text(
                cx,
                baseline(top + (i + 0.5) * SMALL_LINE, SMALL),
                # The dash in bold: it stands where the number would have been.
                bold_start(content, DASH if i == 0 else ""),
                text_anchor="middle",
                font_size=SMALL,
            )
        )
    return "".join(parts)
