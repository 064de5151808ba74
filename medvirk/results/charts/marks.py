"""Data marks more than one chart draws: dots, diamonds, triangles, whiskers."""

from __future__ import annotations

from . import svg
from .style import INK, OI_BLUE, OI_VERMILLION, WHITE


def circle(x: float, y: float, r: float = 7) -> str:
    # The white ring parts the dot from the whisker and grid lines running through it.
    return svg.el("circle", cx=x, cy=y, r=r, fill=OI_BLUE, stroke=WHITE, stroke_width=1.5)


def diamond(x: float, y: float, half: float = 8) -> str:
    # Hollow, so that a dot at the same value still shows inside it.
    corners = ((x, y - half), (x + half, y), (x, y + half), (x - half, y))
    points = " ".join(f"{svg.num(a)},{svg.num(b)}" for a, b in corners)
    return svg.el("polygon", points=points, fill="none", stroke=OI_VERMILLION, stroke_width=2.5)


def triangle(x: float, y: float, size: float = 9) -> str:
    corners = ((x, y - size), (x + size, y + size * 0.8), (x - size, y + size * 0.8))
    points = " ".join(f"{svg.num(a)},{svg.num(b)}" for a, b in corners)
    return svg.el("polygon", points=points, fill=OI_VERMILLION, stroke=WHITE, stroke_width=1)


def whisker(x1: float, x2: float, y: float, cap: float = 7) -> str:
    return (
        svg.line(x1, y, x2, y, stroke=INK, stroke_width=2)
        + svg.line(x1, y - cap, x1, y + cap, stroke=INK, stroke_width=2)
        + svg.line(x2, y - cap, x2, y + cap, stroke=INK, stroke_width=2)
    )
