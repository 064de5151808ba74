"""Typesetting letters: the PDF a print shop gets and a window envelope shows.

No database here: letters are built by hand, every text final. Pages are read with pypdf
(text, and where each piece of it sits), fonts with pikepdf, QR codes with zxing-cpp.
"""

from __future__ import annotations

import dataclasses
import io
import re
import tempfile
from pathlib import Path

import pikepdf
import pytest
import zxingcpp
from PIL import Image, ImageDraw

from medvirk.core.documents import pdf as documents_pdf
from medvirk.core.documents import qr
from medvirk.letters import render
from medvirk.letters.text import Block

from .conftest import (
    A4,
    WINDOW_TOP,
    codes_in,
    fonts_of,
    found_in,
    in_window,
    page_texts,
    pictures,
    qr_codes_in,
    qr_codes_on,
    qr_texts,
    reader,
    runs,
    window_lines,
)

HEAD = render.Letterhead(name="Alfa kommune", sender="Helse, sosial og omsorg", title="Runde")
PEOPLE = [
    ("Åse Ødegård", "Bjørnstjerne Bjørnsons gate 12", "3045 DRAMMEN", "4K7M-Q2XD"),
    ("Ola Nordmann", "Konnerudgata 1", "3045 DRAMMEN", "7ZP3-H9WA"),
    (
        "Kari-Anne Johannessen Haugland",
        "Bjørnstjerne Bjørnsons gate 128 B",
        "3044 DRAMMEN",
        "N0VE-MB3R",
    ),
]
BODY = (
    Block("paragraph", ("Alle som mottar tjenester, inviteres til å svare.",)),
    Block("list", ("Gå inn på alpha.test/svar og tast inn koden nedenfor, eller", "skann koden.")),
    Block("qr"),
    Block("paragraph", ("Koden er personlig.", "Takk for hjelpen!")),
)


def letter(
    name: str = "Åse Ødegård",
    street: str = "Bjørnstjerne Bjørnsons gate 12",
    place: str = "3045 DRAMMEN",
    code: str = "4K7M-Q2XD",
) -> render.Letter:
    return render.Letter(
        address=(name, street, place),
        date="mandag 17. oktober 2026",
        title="Invitasjon til brukerundersøkelse",
        blocks=BODY,
        code=code,
        url="alpha.test/svar",
        qr_url=f"https://alpha.test/svar/?kode={code}",
        code_label="Din personlige kode:",
        url_label="Svar på",
        qr_alt="QR-kode som åpner undersøkelsen",
        closing="Med vennlig hilsen",
        signature_name="Eva Milde",
        signature_title="helse- og sosialdirektør",
        postal_code=place[:4],
    )


def everyone() -> list[render.Letter]:
    return [letter(name, street, place, code) for name, street, place, code in PEOPLE]


def png(color: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 30), color).save(out, "PNG")
    return out.getvalue()


def logos_on(pdf: bytes) -> list[tuple[int, int, int]]:
    """The colour of each picture on the first page that is not the QR code (the logo)."""
    return [
        image.convert("RGB").getpixel((1, 1))  # type: ignore[misc]
        for image in pictures(pdf)[0]
        if not qr_codes_on(image)
    ]


def rasterise(svg: str, scale: int = 8, quiet: int = 4) -> Image.Image:
    """The QR code of ``qr_svg`` drawn as pixels: each ``M x y h w`` run is a dark bar."""
    size = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)
    assert size is not None
    width, height = int(size.group(1)), int(size.group(2))
    image = Image.new("L", ((width + 2 * quiet) * scale, (height + 2 * quiet) * scale), 255)
    draw = ImageDraw.Draw(image)
    for x, y, w in re.findall(r"M(\d+) (\d+)h(\d+)", svg):
        left, top = (int(x) + quiet) * scale, (int(y) + quiet) * scale
        draw.rectangle([left, top, left + int(w) * scale - 1, top + scale - 1], fill=0)
    return image


# --- the QR code -----------------------------------------------------------------------


def test_qr_svg_decodes_to_its_url():
    url = "https://alpha.test/svar/?kode=4K7M-Q2XD"

    found = zxingcpp.read_barcodes(
        rasterise(qr.svg(url)), formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    )

    assert [(barcode.format, barcode.text) for barcode in found] == [
        (zxingcpp.BarcodeFormat.QRCode, url)
    ]


def test_qr_svg_is_a_single_path():
    svg = qr.svg("https://alpha.test/svar/?kode=4K7M-Q2XD")

    assert svg.count("<path") == 1
    assert "<script" not in svg


def test_the_qr_code_on_the_letter_opens_the_answer_page_with_its_code():
    image = render.render_png(letter(code="7ZP3-H9WA"), letterhead=HEAD, ppi=150)[0]

    assert qr_texts(image) == ["https://alpha.test/svar/?kode=7ZP3-H9WA"]


def test_the_qr_code_in_the_pdf_opens_the_answer_page_with_its_code():
    pdf = render.render(everyone(), letterhead=HEAD)

    assert qr_codes_in(pdf) == [[f"https://alpha.test/svar/?kode={code}"] for *_, code in PEOPLE]


def test_the_preview_image_is_a_png_of_an_a4_page():
    image = Image.open(io.BytesIO(render.render_png(letter(), letterhead=HEAD)[0]))

    assert image.format == "PNG"
    assert image.size == (round(210 / 25.4 * 60), round(297 / 25.4 * 60))


# --- pages -----------------------------------------------------------------------------


def test_every_letter_gets_one_page():
    pdf = render.render(everyone(), letterhead=HEAD)

    assert documents_pdf.page_count(pdf) == 3


def test_every_page_is_a4():
    pages = reader(render.render(everyone(), letterhead=HEAD)).pages

    assert [
        (round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2)) for p in pages
    ] == [A4] * 3


def test_pages_come_in_the_order_of_the_letters():
    pages = reader(render.render(everyone(), letterhead=HEAD)).pages

    assert [window_lines(page)[0] for page in pages] == [name for name, *_rest in PEOPLE]


def test_with_two_sided_sheets_every_letter_starts_on_a_front_page():
    pdf = render.render(everyone()[:2], letterhead=HEAD, sheet_pages=2)

    assert [text.count("Eva Milde") for text in page_texts(pdf)] == [1, 0, 1]


def test_the_pdf_has_no_syntax_errors():
    with pikepdf.open(io.BytesIO(render.render(everyone(), letterhead=HEAD))) as document:
        assert document.check_pdf_syntax() == []


def test_the_pdf_is_titled_as_the_letterhead_says():
    pdf = render.render([letter()], letterhead=HEAD)

    assert reader(pdf).metadata.title == "Runde"  # type: ignore[union-attr]


# --- fonts and text --------------------------------------------------------------------


def test_every_font_is_embedded():
    fonts = fonts_of(render.render(everyone(), letterhead=HEAD))

    assert fonts == {
        "AtkinsonHyperlegible-Regular": True,
        "AtkinsonHyperlegible-Bold": True,
        "DejaVuSansMono-Bold": True,
    }


def test_the_code_is_extractable_text_with_its_dash():
    assert codes_in(render.render(everyone(), letterhead=HEAD)) == [code for *_, code in PEOPLE]


def test_the_code_is_set_in_dejavu_sans_mono():
    page = reader(render.render([letter(code="4K7M-Q2XD")], letterhead=HEAD)).pages[0]

    code = [run for run in runs(page) if run.text.strip() == "4K7M-Q2XD"]

    assert [run.font for run in code] == ["DejaVuSansMono-Bold"]


def test_nothing_but_the_code_is_set_in_the_monospaced_face():
    page = reader(render.render([letter(code="4K7M-Q2XD")], letterhead=HEAD)).pages[0]

    monospaced = [run.text.strip() for run in runs(page) if run.font.startswith("DejaVu")]

    assert monospaced == ["4K7M-Q2XD"]


def test_everything_below_the_window_is_at_least_12_pt():
    page = reader(render.render([letter()], letterhead=HEAD)).pages[0]

    below = [run for run in runs(page) if run.top > WINDOW_TOP + 35]

    assert below
    assert min(run.size for run in below) >= 12


def test_the_whole_letter_text_can_be_extracted():
    text = page_texts(render.render([letter()], letterhead=HEAD))[0]

    expected = [
        "Alfa kommune",
        "Invitasjon til brukerundersøkelse",
        "Alle som mottar tjenester, inviteres til å svare.",
        "skann koden.",
        "Din personlige kode:",
        "alpha.test/svar",
        "Takk for hjelpen!",
        "Med vennlig hilsen",
        "Eva Milde",
        "helse- og sosialdirektør",
    ]
    assert found_in(text, expected) == expected


def test_markup_in_the_texts_is_printed_as_written():
    strange = "Ola #set *N* _x_ $y$ [z] <w> @v \\u"
    marked = dataclasses.replace(
        letter(name=strange),
        blocks=(Block("paragraph", ('#text(red)[rød] ")"; #{1+1}',)), Block("qr")),
    )

    text = page_texts(render.render([marked], letterhead=HEAD))[0]

    assert strange in text
    assert '#text(red)[rød] ")"; #{1+1}' in text


# --- the envelope window ---------------------------------------------------------------


def test_the_address_shows_through_the_window_and_nothing_else_does():
    pages = reader(render.render(everyone(), letterhead=HEAD)).pages

    assert [window_lines(page) for page in pages] == [
        [name, street, place] for name, street, place, _code in PEOPLE
    ]


def test_no_address_line_is_printed_outside_the_window():
    address_lines = {line for person in PEOPLE for line in person[:3]}
    pages = reader(render.render(everyone(), letterhead=HEAD)).pages

    outside = " | ".join(run.text for page in pages for run in runs(page) if not in_window(run))

    assert [line for line in address_lines if line in outside] == []


def test_the_address_starts_22_mm_from_the_left_edge():
    page = reader(render.render([letter()], letterhead=HEAD)).pages[0]

    name = next(run for run in runs(page) if run.text.strip() == "Åse Ødegård")

    assert name.left == pytest.approx(22, abs=0.3)


def test_the_address_begins_47_mm_from_the_top_edge():
    page = reader(render.render([letter()], letterhead=HEAD)).pages[0]

    name = next(run for run in runs(page) if run.text.strip() == "Åse Ødegård")

    cap_height = 0.668 * name.size * 25.4 / 72  # Atkinson Hyperlegible's capitals
    assert name.baseline - cap_height == pytest.approx(47, abs=0.3)


def test_a_long_name_wraps_inside_the_window():
    long_name = "Kari-Anne Johannessen Haugland Bjørnstjerne-Bjørnson Sørensen Rønningen"

    page = reader(render.render([letter(name=long_name)], letterhead=HEAD)).pages[0]

    lines = window_lines(page)
    # The name breaks after a space or a hyphen: joined with spaces, a hyphen gains one.
    assert " ".join(lines[:-2]).replace("- ", "-") == long_name
    assert lines[-2:] == ["Bjørnstjerne Bjørnsons gate 12", "3045 DRAMMEN"]


# --- the letterhead --------------------------------------------------------------------


def test_the_municipalitys_logo_is_on_the_letter():
    pdf = render.render([letter()], letterhead=dataclasses.replace(HEAD, logo=png("red")))

    assert logos_on(pdf) == [(255, 0, 0)]


def test_the_body_starts_at_the_same_place_with_or_without_a_logo():
    plain = reader(render.render([letter()], letterhead=HEAD)).pages[0]
    with_logo = reader(
        render.render([letter()], letterhead=dataclasses.replace(HEAD, logo=png()))
    ).pages[0]

    headings = [
        next(run.baseline for run in runs(page) if run.text.startswith("Invitasjon"))
        for page in (plain, with_logo)
    ]

    assert headings[1] == pytest.approx(headings[0], abs=0.1)


def test_without_a_logo_the_letter_has_no_picture_but_the_qr_code():
    assert logos_on(render.render([letter()], letterhead=HEAD)) == []


def test_each_municipality_gets_its_own_logo_in_the_same_process():
    red = render.render([letter()], letterhead=dataclasses.replace(HEAD, logo=png("red")))
    blue = render.render([letter()], letterhead=dataclasses.replace(HEAD, logo=png("blue")))

    assert logos_on(red) + logos_on(blue) == [(255, 0, 0), (0, 0, 255)]


def test_a_logo_that_is_no_image_is_a_layout_error():
    broken = dataclasses.replace(HEAD, logo=b"not an image")

    with pytest.raises(render.LayoutError):
        render.render([letter()], letterhead=broken)


def test_the_municipality_name_heads_the_letter():
    page = reader(render.render([letter()], letterhead=HEAD)).pages[0]

    first = runs(page)[0]

    assert (first.text, first.size) == ("Alfa kommune", 16)


# --- files -----------------------------------------------------------------------------


def test_one_file_holds_every_letter_without_a_batch_size(tmp_path: Path):
    batches = render.render_files(
        everyone(), letterhead=HEAD, paths=lambda n: tmp_path / f"{n}.pdf", processes=1
    )

    assert [(b.path.name, b.letters) for b in batches] == [("1.pdf", 3)]
    assert documents_pdf.page_count((tmp_path / "1.pdf").read_bytes()) == 3


def test_a_batch_size_makes_numbered_files_of_that_many_letters(tmp_path: Path):
    letters = everyone() + [letter("Per Pårørende", "Tollbugata 3", "3044 DRAMMEN", "PQRS-TV12")]

    batches = render.render_files(
        letters,
        letterhead=HEAD,
        paths=lambda n: tmp_path / f"b{n}.pdf",
        batch_size=3,
        processes=1,
    )

    assert [(b.path.name, b.letters) for b in batches] == [("b1.pdf", 3), ("b2.pdf", 1)]
    assert codes_in(tmp_path / "b2.pdf") == ["PQRS-TV12"]


def test_chunks_of_one_file_are_joined_in_order(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(render, "CHUNK", 2)
    out = tmp_path / "alle.pdf"

    render.render_files(everyone(), letterhead=HEAD, paths=lambda n: out, processes=1)

    assert codes_in(out) == [code for *_, code in PEOPLE]


def test_letters_typeset_in_worker_processes_come_out_in_order(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(render, "CHUNK", 1)
    out = tmp_path / "alle.pdf"

    batches = render.render_files(
        everyone(), letterhead=HEAD, paths=lambda n: out, processes=2, total=3
    )

    assert [b.letters for b in batches] == [3]
    assert codes_in(out) == [code for *_, code in PEOPLE]


def test_no_typeset_chunk_is_left_behind(tmp_path: Path, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setattr(render, "CHUNK", 2)

    render.render_files(
        everyone(), letterhead=HEAD, paths=lambda n: tmp_path / "alle.pdf", processes=1
    )

    assert list(scratch.glob("medvirk-chunks-*")) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alle.pdf", "scratch"]


def test_progress_is_reported_up_to_the_total(tmp_path: Path):
    calls: list[tuple[int, int]] = []

    render.render_files(
        everyone(),
        letterhead=HEAD,
        paths=lambda n: tmp_path / "alle.pdf",
        total=3,
        processes=1,
        progress=lambda done, total: calls.append((done, total)),
    )

    assert calls[-1] == (3, 3)


# --- letters that share their text -----------------------------------------------------


def placed(page) -> list[tuple[str, float, float, float]]:
    """Every piece of text on a page with its place and size, in reading order of place."""
    return sorted(
        (run.text, round(run.left, 1), round(run.baseline, 1), run.size) for run in runs(page)
    )


def test_a_batch_letter_sharing_its_text_looks_as_one_set_whole(tmp_path: Path):
    out = tmp_path / "alle.pdf"

    render.render_files(everyone(), letterhead=HEAD, paths=lambda n: out, processes=1)

    alone = [reader(render.render([person], letterhead=HEAD)).pages[0] for person in everyone()]
    assert [placed(page) for page in reader(out).pages] == [placed(page) for page in alone]


def test_a_batch_letter_sharing_its_text_has_its_own_qr_code(tmp_path: Path):
    out = tmp_path / "alle.pdf"

    render.render_files(everyone(), letterhead=HEAD, paths=lambda n: out, processes=1)

    assert qr_codes_in(out) == [[f"https://alpha.test/svar/?kode={code}"] for *_, code in PEOPLE]


def test_letters_sharing_a_text_share_one_copy_of_it_in_the_file(tmp_path: Path):
    out = tmp_path / "alle.pdf"

    render.render_files(everyone() * 4, letterhead=HEAD, paths=lambda n: out, processes=1)

    with pikepdf.open(out) as document:
        forms = {
            obj.objgen
            for page in document.pages
            for obj in page.Resources.XObject.values()
            if obj.get("/Subtype") == "/Form"
        }
    assert len(document_pages := reader(out).pages) == 12
    assert len(forms) == 1
    assert [window_lines(page)[0] for page in document_pages] == [p[0] for p in PEOPLE] * 4


def test_letters_whose_bodies_name_their_recipient_are_each_set_whole(tmp_path: Path):
    named = [
        dataclasses.replace(
            person, blocks=(Block("paragraph", (f"Kjære {person.address[0]}",)), *BODY)
        )
        for person in everyone()
    ]
    out = tmp_path / "alle.pdf"

    render.render_files(named, letterhead=HEAD, paths=lambda n: out, processes=1)

    assert [
        f"Kjære {name}" in text for text, (name, *_r) in zip(page_texts(out), PEOPLE, strict=True)
    ] == [True] * 3
    assert codes_in(out) == [code for *_, code in PEOPLE]


def test_letters_sharing_a_text_on_two_sided_sheets_keep_one_sheet_each(tmp_path: Path):
    out = tmp_path / "alle.pdf"

    render.render_files(
        everyone(), letterhead=HEAD, paths=lambda n: out, sheet_pages=2, processes=1
    )

    pages = reader(out).pages
    assert len(pages) == 6
    assert [window_lines(page)[:1] for page in pages] == [
        [PEOPLE[0][0]],
        [],
        [PEOPLE[1][0]],
        [],
        [PEOPLE[2][0]],
        [],
    ]


def test_a_shared_text_longer_than_its_sheet_stops_the_print(tmp_path: Path):
    long = tuple([Block("paragraph", ("Et langt avsnitt. " * 60,))] * 6) + BODY
    letters = [dataclasses.replace(person, blocks=long) for person in everyone()]

    with pytest.raises(render.DoesNotFit):
        render.render_files(
            letters, letterhead=HEAD, paths=lambda n: tmp_path / "a.pdf", processes=1
        )

    assert not (tmp_path / "a.pdf").exists()


def test_a_file_joined_from_chunks_is_a_sound_pdf_with_the_title(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(render, "CHUNK", 2)
    out = tmp_path / "alle.pdf"

    render.render_files(everyone() * 3, letterhead=HEAD, paths=lambda n: out, processes=1)

    with pikepdf.open(out) as document:
        assert document.check_pdf_syntax() == []
        assert len(document.pages) == 9
    assert reader(out).metadata.title == "Runde"  # type: ignore[union-attr]
    assert fonts_of(out) == fonts_of(render.render([letter()], letterhead=HEAD))
