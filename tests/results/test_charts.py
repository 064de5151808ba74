"""SVG charts of survey results: what a reader, a screen reader and Typst get.

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
import typst
from hypothesis import given, settings
from hypothesis import strategies as st

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


# --- Every chart --------------------------------------------------------------------------


@every_chart
def test_output_is_an_svg_document(make: Callable[..., str]) -> None:
    assert parse(make()).tag == f"{SVG}svg"


@every_chart
def test_role_is_img(make: Callable[..., str]) -> None:
    assert parse(make()).get("role") == "img"


@every_chart
def test_labelledby_names_the_title_and_the_description(make: Callable[..., str]) -> None:
    root = parse(make())
    first, second = root.get("aria-labelledby", "").split()
    assert (by_id(root, first).tag, text_of(by_id(root, first))) == (f"{SVG}title", TITLES[make][0])
    assert (by_id(root, second).tag, text_of(by_id(root, second))) == (
        f"{SVG}desc",
        TITLES[make][1],
    )


@every_chart
def test_no_script_style_or_foreign_object(make: Callable[..., str]) -> None:
    root = parse(make())
    tags = {element.tag for element in root.iter()}
    assert not tags & {f"{SVG}script", f"{SVG}style", f"{SVG}foreignObject"}


@every_chart
def test_no_style_or_class_attributes(make: Callable[..., str]) -> None:
    root = parse(make())
    assert [e.tag for e in root.iter() if "style" in e.attrib or "class" in e.attrib] == []


@every_chart
def test_scales_to_its_box(make: Callable[..., str]) -> None:
    root = parse(make())
    assert (root.get("width"), root.get("viewBox", "").split()[:3]) == ("100%", ["0", "0", "720"])


@every_chart
def test_font_family_is_atkinson_hyperlegible_first(make: Callable[..., str]) -> None:
    assert parse(make()).get("font-family") == "Atkinson Hyperlegible, DejaVu Sans, sans-serif"


@every_chart
def test_text_is_at_least_12_at_the_default_width(make: Callable[..., str]) -> None:
    assert min(font_sizes(parse(make()))) >= 12


@every_chart
def test_narrow_chart_has_its_width_as_viewbox_width(make: Callable[..., str]) -> None:
    assert parse(make(width=320)).get("viewBox", "").split()[2] == "320"


@every_chart
def test_narrow_chart_keeps_text_at_least_12(make: Callable[..., str]) -> None:
    assert min(font_sizes(parse(make(width=320)))) >= 12


@every_chart
def test_two_charts_with_different_prefixes_share_no_id(make: Callable[..., str]) -> None:
    first = {e.get("id") for e in parse(make(id_prefix="a")).iter() if e.get("id")}
    second = {e.get("id") for e in parse(make(id_prefix="b")).iter() if e.get("id")}
    assert first
    assert second
    assert not first & second


@every_chart
def test_ids_are_unique_within_a_chart(make: Callable[..., str]) -> None:
    ids = [e.get("id") for e in parse(make()).iter() if e.get("id")]
    assert len(ids) == len(set(ids))


@every_chart
def test_a_prefix_that_is_no_xml_name_is_refused(make: Callable[..., str]) -> None:
    with pytest.raises(ValueError, match="id_prefix"):
        make(id_prefix="1 <x>")


@every_chart
def test_typst_embeds_the_chart_as_a_file(make: Callable[..., str], tmp_path: Path) -> None:
    (tmp_path / "chart.svg").write_text(make(), encoding="utf-8")
    (tmp_path / "main.typ").write_text('#image("chart.svg")\n', encoding="utf-8")
    pdf = typst.compile(str(tmp_path / "main.typ"), font_paths=[str(FONTS)])
    assert isinstance(pdf, bytes)
    assert pdf.startswith(b"%PDF")


@every_chart
def test_typst_embeds_the_chart_from_bytes(make: Callable[..., str], tmp_path: Path) -> None:
    # The way reports do it: the SVG handed over as data, never as a file of its own.
    (tmp_path / "main.typ").write_text(
        '#image(bytes(sys.inputs.svg), format: "svg")\n', encoding="utf-8"
    )
    pdf = typst.compile(
        str(tmp_path / "main.typ"), font_paths=[str(FONTS)], sys_inputs={"svg": make()}
    )
    assert isinstance(pdf, bytes)
    assert pdf.startswith(b"%PDF")


def test_a_label_with_markup_is_escaped() -> None:
    assert "Jeg har &lt;b&gt;&amp;&lt;/b&gt; tillit" in distribution()


def test_a_label_with_markup_round_trips_as_text() -> None:
    root = parse(distribution())
    assert TRICKY in " ".join(texts(by_id(root, "dist-row-3")))


def test_a_title_with_markup_round_trips_as_text() -> None:
    root = parse(change(title=TRICKY))
    assert text_of(by_id(root, "change-title")) == TRICKY


def test_control_characters_do_not_break_the_xml() -> None:
    root = parse(means(title="Snitt\x00\x1b"))
    assert text_of(by_id(root, "means-title")) == "Snitt"


# Any text a translator or a quality adviser may type, control characters included.
any_text = st.text(st.characters(codec="utf-8"), max_size=80)


@settings(max_examples=40, deadline=None)
@given(label=any_text, reason=any_text, width=st.integers(240, 1400))
def test_any_text_at_any_width_gives_valid_svg(label: str, reason: str, width: int) -> None:
    rows = [DistributionRow("1", label, (0.2,) * 5), DistributionRow("2", label, None)]
    root = parse(distribution(rows=rows, suppressed_text=reason, width=width))
    assert root.get("viewBox", "").split()[2] == str(width)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.floats(2.5, 5.0), st.floats(2.5, 5.0)), min_size=0, max_size=30),
    st.integers(240, 1000),
)
def test_any_scatter_draws_every_point(values: list[tuple[float, float]], width: int) -> None:
    points = [IpaPoint(str(i), x, y) for i, (x, y) in enumerate(values, 1)]
    root = parse(ipa(points=points, width=width))
    assert len(with_ids(root, r"ipa-point-\d+")) == len(points)


# --- Numbers ------------------------------------------------------------------------------


def test_numbers_use_a_decimal_comma() -> None:
    assert charts.format_number(4.2) == "4,2"


def test_numbers_round_half_up() -> None:
    assert charts.format_number(4.25) == "4,3"


def test_negative_numbers_use_a_minus_sign() -> None:
    assert charts.format_number(-0.2, signed=True) == f"{MINUS}0,2"


def test_signed_positive_numbers_get_a_plus() -> None:
    assert charts.format_number(0.3, signed=True) == "+0,3"


def test_a_change_that_rounds_to_nothing_has_no_sign() -> None:
    assert charts.format_number(-0.04, signed=True) == "0,0"


def test_percentages_have_a_no_break_space() -> None:
    assert charts.format_percent(0.38) == f"38{NBSP}%"


def test_percentages_round_half_up_despite_binary_fractions() -> None:
    assert charts.format_percent(0.285) == f"29{NBSP}%"


# --- 1. Distribution ----------------------------------------------------------------------


def test_distribution_has_one_bar_per_row() -> None:
    assert len(with_ids(parse(distribution()), r"dist-bar-\d+")) == len(DISTRIBUTION_ROWS)


def test_distribution_has_a_segment_per_answered_point() -> None:
    # Zero shares draw nothing: row 4 has one.
    assert len(with_ids(parse(distribution()), r"dist-seg-\d+-\d+")) == 5 + 5 + 4


def test_distribution_segments_fill_the_bar() -> None:
    root = parse(distribution())
    segments = with_ids(root, r"dist-seg-1-\d+")
    outline = [r for r in by_id(root, "dist-bar-1").iter(f"{SVG}rect") if r.get("fill") == "none"]
    total = sum(number(s, "width") for s in segments)
    assert total == pytest.approx(number(outline[0], "width"), abs=0.5)


def test_distribution_segments_are_proportional_to_shares() -> None:
    root = parse(distribution())
    widths = [number(s, "width") for s in with_ids(root, r"dist-seg-1-\d+")]
    shares = DISTRIBUTION_ROWS[1].shares or ()
    assert [w / sum(widths) for w in widths] == pytest.approx(list(shares), abs=0.002)


def test_distribution_segments_follow_each_other_left_to_right() -> None:
    segments = with_ids(parse(distribution()), r"dist-seg-0-\d+")
    ends = [number(s, "x") + number(s, "width") for s in segments[:-1]]
    assert [number(s, "x") for s in segments[1:]] == pytest.approx(ends, abs=0.02)


def test_distribution_segments_have_thin_white_borders() -> None:
    segments = with_ids(parse(distribution()), r"dist-seg-\d+-\d+")
    assert {(s.get("stroke"), s.get("stroke-width")) for s in segments} == {("#ffffff", "1.5")}


def test_distribution_writes_percentages_in_wide_segments_only() -> None:
    root = parse(distribution())
    # Row 1: 2 %, 5 %, 13 %, 42 %, 38 % -> the last three.
    assert texts(by_id(root, "dist-bar-0")) == ["13", "42", "38"]


def test_distribution_writes_a_percentage_at_exactly_seven_percent() -> None:
    root = parse(distribution())
    assert texts(by_id(root, "dist-bar-3")) == ["7", "50", "37"]


def test_distribution_shows_a_percent_scale_over_the_bars() -> None:
    root = parse(distribution())
    assert texts(by_id(root, "dist-scale")) == [f"{p}{NBSP}%" for p in (0, 25, 50, 75, 100)]


def test_distribution_percent_scale_spans_the_bar() -> None:
    root = parse(distribution())
    scale = list(by_id(root, "dist-scale").iter(f"{SVG}text"))
    outline = [r for r in by_id(root, "dist-bar-0").iter(f"{SVG}rect") if r.get("fill") == "none"]
    bar = (number(outline[0], "x"), number(outline[0], "x") + number(outline[0], "width"))
    assert (number(scale[0], "x"), number(scale[-1], "x")) == pytest.approx(bar)


def test_distribution_segment_text_contrasts_at_least_4_5_to_1() -> None:
    root = parse(distribution(rows=[DistributionRow("1", "Jevnt", (0.2,) * 5)]))
    bar = by_id(root, "dist-bar-0")
    fills = [r.get("fill", "") for r in bar.iter(f"{SVG}rect") if r.get("id")]
    inks = [t.get("fill", "") for t in bar.iter(f"{SVG}text")]
    assert min(charts.contrast_ratio(f, i) for f, i in zip(fills, inks, strict=True)) >= 4.5


@pytest.mark.parametrize("count", range(2, 12))
def test_every_scale_size_gets_text_colours_of_at_least_4_5_to_1(count: int) -> None:
    blues = charts.sequential_blues(count)
    assert min(charts.contrast_ratio(b, charts.text_colour_on(b)) for b in blues) >= 4.5


def test_distribution_blues_get_darker_with_the_scale_point() -> None:
    blues = charts.sequential_blues(7)
    lightness = [charts.contrast_ratio(b, "#000000") for b in blues]
    assert lightness == sorted(lightness, reverse=True)


def test_distribution_writes_dont_know_in_its_column() -> None:
    root = parse(distribution())
    assert text_of(by_id(root, "dist-dk-1")) == f"12{NBSP}%"


def test_distribution_dont_know_column_is_right_of_the_bars() -> None:
    root = parse(distribution())
    outline = [r for r in by_id(root, "dist-bar-0").iter(f"{SVG}rect") if r.get("fill") == "none"]
    bar_end = number(outline[0], "x") + number(outline[0], "width")
    assert number(by_id(root, "dist-dk-0"), "x") > bar_end


def test_distribution_names_the_dont_know_column() -> None:
    assert "Vet ikke" in texts(parse(distribution()))


def test_distribution_legend_carries_point_numbers_and_labels() -> None:
    legend = texts(by_id(parse(distribution()), "dist-legend"))
    assert legend == [item for i, label in enumerate(POINTS, 1) for item in (str(i), label)]


def test_distribution_suppressed_row_is_hatched() -> None:
    root = parse(distribution())
    fills = {r.get("fill") for r in by_id(root, "dist-bar-2").iter(f"{SVG}rect")}
    assert "url(#dist-hatch)" in fills
    assert by_id(root, "dist-hatch").tag == f"{SVG}pattern"


def test_distribution_suppressed_row_shows_a_dash_and_the_reason() -> None:
    root = parse(distribution())
    assert texts(by_id(root, "dist-bar-2")) == [f"{DASH} {SUPPRESSED}"]


def test_distribution_suppressed_row_has_no_segments() -> None:
    assert with_ids(parse(distribution()), r"dist-seg-2-\d+") == []


def test_distribution_suppressed_row_shows_a_dash_for_dont_know() -> None:
    assert text_of(by_id(parse(distribution()), "dist-dk-2")) == DASH


def test_distribution_without_suppressed_rows_needs_no_pattern() -> None:
    svg = distribution(rows=DISTRIBUTION_ROWS[:2])
    assert parse(svg).find(f".//{SVG}pattern") is None


def test_distribution_wraps_a_long_label_onto_two_lines() -> None:
    long = DistributionRow(
        "9", "Jeg får vite hvem jeg kan kontakte når jeg har spørsmål " * 3, (0.2,) * 5
    )
    row = by_id(parse(distribution(rows=[long])), "dist-row-0")
    lines = [t for t in row.findall(f"{SVG}text") if t.get("id") is None]
    assert len(lines) == 2
    assert text_of(lines[1]).endswith("\u2026")


def test_distribution_keeps_a_cut_label_whole_in_its_tooltip() -> None:
    long = DistributionRow(
        "9", "Jeg får vite hvem jeg kan kontakte når jeg har spørsmål " * 3, (0.2,) * 5
    )
    row = by_id(parse(distribution(rows=[long])), "dist-row-0")
    assert text_of(first(row, "title")) == f"9 {long.text}".strip()


def test_distribution_sets_the_statement_number_in_bold() -> None:
    row = by_id(parse(distribution()), "dist-row-0")
    tspan = first(row, ".//tspan")
    assert (tspan.get("font-weight"), tspan.text) == ("bold", "1")


def test_distribution_narrow_puts_labels_above_their_bars() -> None:
    root = parse(distribution(width=320))
    label = by_id(root, "dist-row-0").findall(f"{SVG}text")[0]
    segment = with_ids(root, r"dist-seg-0-\d+")[0]
    assert number(label, "y") < number(segment, "y")


def test_distribution_refuses_shares_of_the_wrong_count() -> None:
    with pytest.raises(ValueError, match="shares"):
        distribution(rows=[DistributionRow("1", "Kort", (0.5, 0.5))])


def test_distribution_refuses_shares_that_do_not_sum_to_one() -> None:
    with pytest.raises(ValueError, match="sum to 1"):
        distribution(rows=[DistributionRow("1", "Kort", (0.5, 0.5, 0.5, 0.0, 0.0))])


# --- 2. Means with confidence intervals ----------------------------------------------------


def test_means_draw_a_dot_per_reported_row() -> None:
    root = parse(means())
    dots = [c for g in with_ids(root, r"means-mark-\d+") for c in g.iter(f"{SVG}circle")]
    assert len(dots) == 3  # row 3 is suppressed


def test_means_dot_sits_at_the_mean() -> None:
    root = parse(means())
    at = tick_scale(root, "means-axis")
    dot = first(by_id(root, "means-mark-0"), "circle")
    assert number(dot, "cx") == pytest.approx(at(4.2), abs=0.01)


def test_means_whisker_spans_the_interval() -> None:
    root = parse(means())
    at = tick_scale(root, "means-axis")
    line = first(by_id(root, "means-mark-0"), "line")
    ends = (number(line, "x1"), number(line, "x2"))
    assert ends == pytest.approx((at(4.0), at(4.4)), abs=0.01)


def test_means_without_an_interval_have_no_whisker() -> None:
    assert by_id(parse(means()), "means-mark-3").findall(f"{SVG}line") == []


def test_means_write_the_value_with_a_decimal_comma() -> None:
    assert text_of(by_id(parse(means()), "means-value-0")) == "4,2"


def test_means_follow_the_decimal_argument() -> None:
    assert text_of(by_id(parse(means(decimal=".")), "means-value-0")) == "4.2"


def test_means_write_the_value_next_to_the_dot() -> None:
    root = parse(means())
    dot = first(by_id(root, "means-mark-1"), "circle")
    value = by_id(root, "means-value-1")
    assert number(value, "x") == number(dot, "cx")


def test_means_draw_the_comparison_as_a_diamond() -> None:
    polygons = by_id(parse(means()), "means-mark-0").findall(f"{SVG}polygon")
    assert len(polygons) == 1
    assert len(polygons[0].get("points", "").split()) == 4


def test_means_diamond_sits_at_the_comparison() -> None:
    root = parse(means())
    at = tick_scale(root, "means-axis")
    polygon = first(by_id(root, "means-mark-0"), "polygon")
    xs = [float(p.split(",")[0]) for p in polygon.get("points", "").split()]
    assert (min(xs) + max(xs)) / 2 == pytest.approx(at(4.1), abs=0.01)


def test_means_write_the_comparison_value() -> None:
    assert text_of(by_id(parse(means()), "means-comparison-0")) == "4,1"


def test_means_only_compared_rows_have_a_diamond() -> None:
    assert by_id(parse(means()), "means-mark-1").findall(f"{SVG}polygon") == []


def test_means_legend_explains_the_diamond() -> None:
    legend = by_id(parse(means()), "means-legend")
    assert "Hele tjenesteområdet" in texts(legend)
    assert legend.find(f".//{SVG}polygon") is not None


def test_means_legend_explains_the_dot() -> None:
    legend = by_id(parse(means()), "means-legend")
    assert "Gjennomsnitt med 95 % konfidensintervall" in " ".join(texts(legend))


def test_means_without_comparisons_leave_the_diamond_out_of_the_legend() -> None:
    root = parse(means(rows=MEAN_ROWS[1:]))
    assert "Hele tjenesteområdet" not in texts(root)


def test_means_tick_at_every_scale_point() -> None:
    assert texts(by_id(parse(means()), "means-axis")) == ["1", "2", "3", "4", "5"]


def test_means_grid_line_at_every_scale_point() -> None:
    root = parse(means(rows=MEAN_ROWS[:1]))
    at = tick_scale(root, "means-axis")
    grid = by_id(root, "means-grid").findall(f"{SVG}line")
    assert [number(g, "x1") for g in grid] == pytest.approx([at(v) for v in range(1, 6)])


def test_means_suppressed_row_is_hatched_with_a_dash_and_the_reason() -> None:
    row = by_id(parse(means()), "means-row-2")
    hatched = [r for r in row.iter(f"{SVG}rect") if r.get("fill") == "url(#means-hatch)"]
    assert len(hatched) == 1
    assert f"{DASH} {SUPPRESSED}" in texts(row)


def test_means_refuse_a_mean_outside_the_scale() -> None:
    with pytest.raises(ValueError, match="outside the scale"):
        means(rows=[MeanRow("1", "Kort", 5.5)])


# --- 3. Importance–performance -----------------------------------------------------------


def test_ipa_draws_a_marker_per_point() -> None:
    assert len(with_ids(parse(ipa()), r"ipa-point-\d+")) == len(IPA_POINTS)


def test_ipa_labels_each_marker_with_its_number() -> None:
    root = parse(ipa())
    assert [texts(g) for g in with_ids(root, r"ipa-point-\d+")] == [["1"], ["2"], ["3"], ["4"]]


def test_ipa_concentrate_point_is_a_filled_triangle() -> None:
    polygon = first(by_id(parse(ipa()), "ipa-point-1"), "polygon")
    assert len(polygon.get("points", "").split()) == 3
    assert polygon.get("fill") != "none"


def test_ipa_other_points_are_circles() -> None:
    root = parse(ipa())
    shapes = [g.find(f"{SVG}circle") is not None for g in with_ids(root, r"ipa-point-[023]")]
    assert shapes == [True, True, True]


def test_ipa_marker_sits_at_its_values() -> None:
    root = parse(ipa())
    at_x, at_y = ipa_scales(root)
    circle = first(by_id(root, "ipa-point-0"), "circle")
    place = (number(circle, "cx"), number(circle, "cy"))
    assert place == pytest.approx((at_x(4.6), at_y(4.3)), abs=0.01)


def test_ipa_diagonal_passes_through_the_centre_with_slope_one() -> None:
    root = parse(ipa())
    at_x, at_y = ipa_scales(root)
    # Back from drawing to data: the scales are linear, so two points give each inverse.
    x_unit, y_unit = at_x(1) - at_x(0), at_y(1) - at_y(0)
    line = by_id(root, "ipa-diagonal")
    ax, bx = ((number(line, k) - at_x(0)) / x_unit for k in ("x1", "x2"))
    ay, by = ((number(line, k) - at_y(0)) / y_unit for k in ("y1", "y2"))
    slope, offset = (by - ay) / (bx - ax), ay - (ax - 4.0) - 3.6
    assert (slope, offset) == pytest.approx((1.0, 0.0), abs=1e-3)


def test_ipa_diagonal_reaches_the_plot_edges() -> None:
    root = parse(ipa())
    at_x, at_y = ipa_scales(root)
    line = by_id(root, "ipa-diagonal")
    # Through (4,0; 3,6) with slope 1 the line enters at x 2,9 (y 2,5) and leaves at y 5,0.
    ends = [number(line, k) for k in ("x1", "y1", "x2", "y2")]
    assert ends == pytest.approx([at_x(2.9), at_y(2.5), at_x(5.0), at_y(4.6)], abs=0.01)


def test_ipa_diagonal_is_clipped_to_the_plot() -> None:
    root = parse(ipa())
    frame = [r for r in root.findall(f"{SVG}rect") if r.get("fill") == "none"][0]
    left, top = number(frame, "x"), number(frame, "y")
    right, bottom = left + number(frame, "width"), top + number(frame, "height")
    line = by_id(root, "ipa-diagonal")
    ends = [(number(line, "x1"), number(line, "y1")), (number(line, "x2"), number(line, "y2"))]
    assert all(
        left - 0.01 <= x <= right + 0.01 and top - 0.01 <= y <= bottom + 0.01 for x, y in ends
    )


def test_ipa_diagonal_has_its_label() -> None:
    assert text_of(by_id(parse(ipa()), "ipa-diagonal-label")) == "Lik prioritet"


def test_ipa_crosshair_is_dashed_through_the_centre() -> None:
    root = parse(ipa())
    dashed = [line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")]
    at_x, _ = ipa_scales(root)
    vertical = [line for line in dashed if line.get("x1") == line.get("x2")]
    assert len(dashed) == 2
    assert number(vertical[0], "x1") == pytest.approx(at_x(4.0), abs=0.01)


def test_ipa_names_every_quadrant() -> None:
    root = parse(ipa())
    names = {key: " ".join(texts(by_id(root, f"ipa-quadrant-{key}"))) for key in QUADRANTS}
    assert names == QUADRANTS


def test_ipa_concentrate_is_bottom_right() -> None:
    root = parse(ipa())
    vertical, horizontal = [
        line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")
    ]
    name = first(by_id(root, "ipa-quadrant-concentrate"), "text")
    x, y = number(name, "x"), number(name, "y")
    assert x > number(vertical, "x1")
    assert y > number(horizontal, "y1")


def test_ipa_overkill_is_top_left() -> None:
    root = parse(ipa())
    vertical, horizontal = [
        line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")
    ]
    name = first(by_id(root, "ipa-quadrant-overkill"), "text")
    x, y = number(name, "x"), number(name, "y")
    assert x < number(vertical, "x1")
    assert y < number(horizontal, "y1")


def test_ipa_coinciding_labels_are_moved_apart() -> None:
    twins = [IpaPoint("5", 4.4, 3.1), IpaPoint("12", 4.4, 3.1), IpaPoint("7", 4.4, 3.1)]
    root = parse(ipa(points=twins))
    labels = [first(g, "text") for g in with_ids(root, r"ipa-point-\d+")]
    spots = {(number(t, "x"), number(t, "y")) for t in labels}
    assert len(spots) == 3


def test_ipa_coinciding_labels_do_not_overlap() -> None:
    twins = [IpaPoint(n, 4.4, 3.1) for n in ("5", "12", "7", "30")]
    root = parse(ipa(points=twins, width=320))
    boxes = [
        (number(t, "x"), number(t, "y"), number(t, "x") + charts.text_width(text_of(t), 14, True))
        for g in with_ids(root, r"ipa-point-\d+")
        for t in g.iter(f"{SVG}text")
    ]
    clashes = [
        (a, b)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if abs(a[1] - b[1]) < 14 and a[0] < b[2] and b[0] < a[2]
    ]
    assert clashes == []


def test_ipa_numbers_pushed_away_from_their_marker_get_a_leader_line() -> None:
    # Ten numbers cannot all sit right next to one spot: the outer ones get a leader.
    crowd = [IpaPoint(str(n), 4.4, 3.1) for n in range(1, 11)]
    groups = with_ids(parse(ipa(points=crowd, width=320)), r"ipa-point-\d+")
    assert [g.find(f"{SVG}line") is not None for g in groups].count(True) >= 2


def test_ipa_numbers_next_to_their_marker_have_no_leader_line() -> None:
    assert by_id(parse(ipa()), "ipa-point-0").find(f"{SVG}line") is None


def test_ipa_placement_is_deterministic() -> None:
    twins = [IpaPoint("5", 4.4, 3.1), IpaPoint("12", 4.4, 3.1)]
    assert ipa(points=twins) == ipa(points=twins)


def test_ipa_tooltip_carries_the_statement() -> None:
    assert text_of(first(by_id(parse(ipa()), "ipa-point-0"), "title")) == "1 Respekt"


def test_ipa_ticks_use_a_decimal_comma() -> None:
    assert texts(by_id(parse(ipa()), "ipa-x-ticks")) == ["2,5", "3,0", "3,5", "4,0", "4,5", "5,0"]


def test_ipa_names_both_axes() -> None:
    assert texts(by_id(parse(ipa()), "ipa-axis-names")) == ["Viktighet", "Tilfredshet"]


def test_ipa_refuses_missing_quadrant_names() -> None:
    with pytest.raises(ValueError, match="quadrant_labels"):
        ipa(quadrant_labels={"concentrate": "Her"})


def test_ipa_refuses_a_point_outside_the_domains() -> None:
    with pytest.raises(ValueError, match="outside"):
        ipa(points=[IpaPoint("1", 6.0, 3.0)])


# --- 4. Change since the previous round ---------------------------------------------------


def test_change_draws_a_bar_per_reported_row() -> None:
    assert len(with_ids(parse(change()), r"change-bar-\d+")) == 3


def test_change_writes_a_positive_value_with_a_plus() -> None:
    assert text_of(by_id(parse(change()), "change-value-0")).startswith("+0,3")


def test_change_writes_a_negative_value_with_a_minus_sign() -> None:
    assert text_of(by_id(parse(change()), "change-value-1")) == f"{MINUS}0,2"


def test_change_marks_a_significant_change() -> None:
    assert text_of(by_id(parse(change()), "change-value-3")) == f"{MINUS}0,6{NBSP}*"


def test_change_sets_a_significant_change_in_bold() -> None:
    assert by_id(parse(change()), "change-value-0").get("font-weight") == "bold"


def test_change_sets_other_changes_in_regular_weight() -> None:
    assert by_id(parse(change()), "change-value-1").get("font-weight") is None


def test_change_legend_explains_the_marker() -> None:
    assert texts(by_id(parse(change()), "change-legend")) == ["*", "Sikker endring"]


def test_change_negative_bar_lies_left_of_zero() -> None:
    root = parse(change())
    zero = first(by_id(root, "change-zero"), "line")
    bar = by_id(root, "change-bar-1")
    assert number(bar, "x") + number(bar, "width") == pytest.approx(number(zero, "x1"), abs=0.01)


def test_change_bar_length_follows_the_change() -> None:
    root = parse(change())
    at = tick_scale(root, "change-axis")
    bar = by_id(root, "change-bar-0")
    assert number(bar, "width") == pytest.approx(at(0.3) - at(0), abs=0.01)


def test_change_whisker_spans_the_interval() -> None:
    root = parse(change())
    at = tick_scale(root, "change-axis")
    line = first(by_id(root, "change-mark-1"), "line")
    ends = (number(line, "x1"), number(line, "x2"))
    assert ends == pytest.approx((at(-0.5), at(0.1)), abs=0.01)


def test_change_axis_runs_over_the_span() -> None:
    ticks = [f"{MINUS}1,0", f"{MINUS}0,5", "0", "+0,5", "+1,0"]
    assert texts(by_id(parse(change()), "change-axis")) == ticks


def test_change_axis_widens_for_a_change_beyond_the_span() -> None:
    root = parse(change(rows=[ChangeRow("1", "Stor", 1.2, 0.9, 1.4)]))
    at = tick_scale(root, "change-axis")
    bar = by_id(root, "change-bar-0")
    assert number(bar, "x") + number(bar, "width") == pytest.approx(at(1.2), abs=0.01)


def test_change_suppressed_row_is_hatched_with_a_dash_and_the_reason() -> None:
    row = by_id(parse(change()), "change-row-2")
    hatched = [r for r in row.iter(f"{SVG}rect") if r.get("fill") == "url(#change-hatch)"]
    assert len(hatched) == 1
    assert f"{DASH} {SUPPRESSED}" in texts(row)


def test_change_interval_touching_zero_is_not_significant() -> None:
    assert not charts.is_significant(ChangeRow("1", "Kant", 0.2, 0.0, 0.4))


def test_change_without_an_interval_is_not_significant() -> None:
    assert not charts.is_significant(ChangeRow("1", "Uten", 0.9))
