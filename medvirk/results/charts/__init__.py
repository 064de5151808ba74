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

This package presents the charts, their inputs and the number formats they use; its modules
hold one chart each (``distribution``, ``means``, ``ipa``, ``change``) over shared parts:
``svg`` (elements and the document), ``typography`` (text widths and wrapping), ``layout``
(legends and statement rows), ``marks``, ``colours``, ``formatting`` and ``style``. The
scatter's number placement is pure geometry in ``labels``.
"""

from .change import ChangeRow, change_bars, is_significant
from .distribution import DistributionRow, distribution_bars
from .formatting import format_number, format_percent
from .ipa import QUADRANTS, IpaPoint, ipa_scatter, is_concentrate
from .means import MeanRow, means_with_ci

__all__ = [
    "QUADRANTS",
    "ChangeRow",
    "DistributionRow",
    "IpaPoint",
    "MeanRow",
    "change_bars",
    "distribution_bars",
    "format_number",
    "format_percent",
    "ipa_scatter",
    "is_concentrate",
    "is_significant",
    "means_with_ci",
]
