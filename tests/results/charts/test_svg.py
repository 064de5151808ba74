"""What every chart's SVG document gives a reader, a screen reader and Typst (``charts.svg``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import typst
from hypothesis import given, settings
from hypothesis import strategies as st

from medvirk.results.charts import DistributionRow, IpaPoint

from .common import (
    FONTS,
    SVG,
    TITLES,
    TRICKY,
    by_id,
    change,
    distribution,
    every_chart,
    font_sizes,
    ipa,
    means,
    parse,
    text_of,
    texts,
    with_ids,
)


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
