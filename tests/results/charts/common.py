"""SVG charts of survey results: the inputs the chart tests draw, and reading the drawing back.

No database here. Each chart is parsed with ElementTree, and positions are read back from
the drawing (tick labels give the scale), so the tests do not depend on layout constants.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import fontpkg_atkinson_hyperlegible
import pytest

from medvirk.results import charts
from medvirk.results.charts import ChangeRow, DistributionRow, IpaPoint, MeanRow

SVG = "{http://www.w3.org/2000/svg}"
FONTS = Path(fontpkg_atkinson_hyperlegible.ROOT) / "files"
NBSP = "\u00a0"
MINUS = "\u2212"
DASH = "\u2013"
SUPPRESSED = "For få svar"
POINTS = ["Svært dårlig", "Dårlig", "Verken eller", "Godt", "Svært godt"]
QUADRANTS = {
    "concentrate": "Konsentrer innsatsen her",
    "keep_up": "Fortsett det gode arbeidet",
    "low_priority": "Lav prioritet",
    "overkill": "Mulig overinnsats",
}
TRICKY = "Jeg har <b>&</b> tillit"
DISTRIBUTION_ROWS = [
    DistributionRow("1", "Jeg blir møtt med respekt", (0.02, 0.05, 0.13, 0.42, 0.38), 0.04),
    DistributionRow("2", "Jeg vet hvem jeg kan kontakte", (0.10, 0.20, 0.30, 0.25, 0.15), 0.12),
    DistributionRow("3", "Maten smaker godt", None),
    DistributionRow("4", TRICKY, (0.0, 0.06, 0.07, 0.5, 0.37)),
]
MEAN_ROWS = [
    MeanRow("1", "Jeg blir møtt med respekt", 4.2, 4.0, 4.4, comparison=4.1),
    MeanRow("2", "Jeg vet hvem jeg kan kontakte", 3.1, 2.8, 3.4),
    MeanRow("3", "Maten smaker godt", None),
    MeanRow("4", TRICKY, 2.5),
]
IPA_POINTS = [
    IpaPoint("1", 4.6, 4.3, "Respekt"),
    IpaPoint("2", 4.5, 2.9, "Kontakt"),  # important, performing badly: concentrate
    IpaPoint("3", 3.2, 4.5, "Maten"),
    IpaPoint("4", 3.0, 3.0, "Tillit"),
]
CHANGE_ROWS = [
    ChangeRow("1", "Jeg blir møtt med respekt", 0.3, 0.1, 0.5),  # significant
    ChangeRow("2", "Jeg vet hvem jeg kan kontakte", -0.2, -0.5, 0.1),
    ChangeRow("3", "Maten smaker godt", None),
    ChangeRow("4", TRICKY, -0.6, -0.9, -0.3),  # significant
]


def distribution(width: int = 720, id_prefix: str = "dist", **changes: Any) -> str:
    arguments: dict[str, Any] = {
        "point_labels": POINTS,
        "dont_know_label": "Vet ikke",
        "title": "Svarfordeling",
        "description": "Andel svar per svaralternativ for fire utsagn.",
        "suppressed_text": SUPPRESSED,
        "id_prefix": id_prefix,
        "width": width,
    }
    arguments.update(changes)
    rows = arguments.pop("rows", DISTRIBUTION_ROWS)
    return charts.distribution_bars(rows, **arguments)


def means(width: int = 720, id_prefix: str = "means", **changes: Any) -> str:
    arguments: dict[str, Any] = {
        "scale_min": 1,
        "scale_max": 5,
        "title": "Gjennomsnitt",
        "description": "Gjennomsnitt med konfidensintervall.",
        "comparison_label": "Hele tjenesteområdet",
        "mean_label": "Gjennomsnitt med 95 % konfidensintervall",
        "suppressed_text": SUPPRESSED,
        "id_prefix": id_prefix,
        "width": width,
    }
    arguments.update(changes)
    rows = arguments.pop("rows", MEAN_ROWS)
    return charts.means_with_ci(rows, **arguments)


def ipa(width: int = 720, id_prefix: str = "ipa", **changes: Any) -> str:
    arguments: dict[str, Any] = {
        "centre_x": 4.0,
        "centre_y": 3.6,
        "x_domain": (2.5, 5.0),
        "y_domain": (2.5, 5.0),
        "quadrant_labels": QUADRANTS,
        "x_label": "Viktighet",
        "y_label": "Tilfredshet",
        "diagonal_label": "Lik prioritet",
        "title": "Viktighet og tilfredshet",
        "description": "Fire utsagn etter viktighet og tilfredshet.",
        "id_prefix": id_prefix,
        "width": width,
    }
    arguments.update(changes)
    points = arguments.pop("points", IPA_POINTS)
    return charts.ipa_scatter(points, **arguments)


def change(width: int = 720, id_prefix: str = "change", **changes: Any) -> str:
    arguments: dict[str, Any] = {
        "title": "Endring",
        "description": "Endring siden forrige runde.",
        "significant_label": "Sikker endring",
        "suppressed_text": SUPPRESSED,
        "id_prefix": id_prefix,
        "width": width,
    }
    arguments.update(changes)
    rows = arguments.pop("rows", CHANGE_ROWS)
    return charts.change_bars(rows, **arguments)


EVERY_CHART: list[Callable[..., str]] = [distribution, means, ipa, change]
TITLES = {
    distribution: ("Svarfordeling", "Andel svar per svaralternativ for fire utsagn."),
    means: ("Gjennomsnitt", "Gjennomsnitt med konfidensintervall."),
    ipa: ("Viktighet og tilfredshet", "Fire utsagn etter viktighet og tilfredshet."),
    change: ("Endring", "Endring siden forrige runde."),
}
every_chart = pytest.mark.parametrize("make", EVERY_CHART, ids=lambda f: f.__name__)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own output, no entities or DTD)


def by_id(root: ET.Element, element_id: str) -> ET.Element:
    found = root.find(f".//*[@id='{element_id}']")
    assert found is not None, element_id
    return found


def with_ids(root: ET.Element, pattern: str) -> list[ET.Element]:
    return [e for e in root.iter() if re.fullmatch(pattern, e.get("id", ""))]


def first(element: ET.Element, path: str) -> ET.Element:
    """The first element at ``path`` (tags in the SVG namespace), which must be there."""
    found = element.find(re.sub(r"(\w+)$", lambda m: SVG + m.group(1), path))
    assert found is not None, path
    return found


def text_of(element: ET.Element) -> str:
    return "".join(element.itertext())


def texts(element: ET.Element) -> list[str]:
    return [text_of(t) for t in element.iter(f"{SVG}text")]


def number(element: ET.Element, attribute: str) -> float:
    return float(element.get(attribute, "nan"))


def tick_scale(root: ET.Element, axis_id: str, attribute: str = "x") -> Callable[[float], float]:
    """Data value -> drawing coordinate, read from the first and last tick labels."""
    ticks = list(by_id(root, axis_id).iter(f"{SVG}text"))
    first, last = ticks[0], ticks[-1]
    v0 = float(text_of(first).replace(",", ".").replace(MINUS, "-"))
    v1 = float(text_of(last).replace(",", ".").replace(MINUS, "-"))
    p0, p1 = number(first, attribute), number(last, attribute)
    return lambda value: p0 + (value - v0) / (v1 - v0) * (p1 - p0)


def ipa_scales(root: ET.Element) -> tuple[Callable[[float], float], Callable[[float], float]]:
    """Data -> drawing coordinates of the scatter, read from its grid lines and tick labels."""
    lines = by_id(root, "ipa-grid").findall(f"{SVG}line")
    columns = [number(g, "x1") for g in lines if g.get("x1") == g.get("x2")]
    levels = [number(g, "y1") for g in lines if g.get("y1") == g.get("y2")]
    x_values = [float(t.replace(",", ".")) for t in texts(by_id(root, "ipa-x-ticks"))]
    y_values = [float(t.replace(",", ".")) for t in texts(by_id(root, "ipa-y-ticks"))]

    def scale(values: list[float], places: list[float]) -> Callable[[float], float]:
        v0, v1, p0, p1 = values[0], values[-1], places[0], places[-1]
        return lambda value: p0 + (value - v0) / (v1 - v0) * (p1 - p0)

    return scale(x_values, columns), scale(y_values, levels)


def font_sizes(root: ET.Element) -> list[float]:
    default = float(root.get("font-size", "0"))
    return [
        float(element.get("font-size", default))
        for element in root.iter()
        if element.tag in (f"{SVG}text", f"{SVG}tspan")
    ]
