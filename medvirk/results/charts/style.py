"""Sizes, colours and characters every chart shares."""

from __future__ import annotations

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

MINUS = "\u2212"
NBSP = "\u00a0"  # between a number and "%", or a value and its marker: they never part
DASH = "\u2013"  # what a suppressed value shows instead of a number
ELLIPSIS = "\u2026"
