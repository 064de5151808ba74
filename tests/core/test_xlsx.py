"""Opening a workbook someone uploaded (medvirk/core/xlsx.py): what is refused before
openpyxl sees it, and what still opens.

The files are built part by part in ``workbooks``; each refusal has a twin just inside the
limit that opens, so a test cannot pass by refusing everything.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from typing import cast

import pytest

from medvirk.core import xlsx

from . import workbooks
from .workbooks import RECIPIENT, cell, repeated, row, sheet, workbook


def refusal(data: bytes) -> tuple[str, dict[str, int | str]]:
    with pytest.raises(xlsx.Refused) as raised:
        xlsx.open_workbook(data)
    return raised.value.code, raised.value.params


def values(data: bytes) -> list[tuple[object, ...]]:
    book = xlsx.open_workbook(data)
    try:
        return list(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()


def stored(*body: bytes | Iterable[bytes]) -> bytes:
    """A workbook whose sheet is stored without compression: nothing for the directory
    checks to see, only what the XML holds."""
    return workbook(sheet(*body), compression=zipfile.ZIP_STORED)


# --- an honest workbook ----------------------------------------------------------------


def test_honest_workbook_opens_with_its_values():
    assert values(workbook(sheet(row(*RECIPIENT)))) == [
        ("Navn", "Adresse", "Postnr", "Poststed", "Virksomhet"),
        RECIPIENT,
    ]


def test_workbook_written_by_openpyxl_opens():
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook()
    active = cast(Worksheet, book.active)  # a new workbook's one sheet
    active.append(["Navn", "Postnr"])
    active.append(["Kari Nordmann", 3045])
    buffer = io.BytesIO()
    book.save(buffer)

    assert values(buffer.getvalue()) == [("Navn", "Postnr"), ("Kari Nordmann", 3045)]


# --- the directory: unpacked size and packing ------------------------------------------


def test_zip_bomb_is_refused_for_what_it_would_unpack_to():
    # Some 300 MB of sheet in some 600 KB of file.
    bomb = workbook(sheet(repeated(row("Kari Nordmann " * 2000), 300)))

    code, params = refusal(bomb)

    assert (len(bomb) < 1_000_000, code, params["max_mb"], int(params["size_mb"]) > 290) == (
        True,
        xlsx.TOO_LARGE,
        128,
        True,
    )


def test_part_packed_far_tighter_than_a_spreadsheet_is_refused():
    bomb = workbook(sheet(repeated(row("Kari Nordmann " * 2000), 20)))

    code, params = refusal(bomb)

    assert (code, int(params["ratio"]) > 100) == (xlsx.PACKED_TOO_TIGHTLY, True)


def test_small_part_may_pack_tightly():
    # Under a MiB, however tightly packed, a part unpacks to nothing that matters.
    chunk = row(*RECIPIENT) * 4000  # 0.9 MiB, packed some 200 times

    assert len(values(workbook(sheet(chunk)))) == 4001


def test_part_that_unpacks_to_more_than_its_directory_says_is_refused():
    bomb = workbook(sheet(repeated(row("Kari Nordmann " * 2000), 300)))
    liar = workbooks.declaring(bomb, "xl/worksheets/sheet1.xml", file_size=50_000)

    assert refusal(liar) == (xlsx.UNREADABLE, {})


def test_a_parts_stream_ends_in_a_refusal_when_more_comes_than_was_declared():
    # zipfile itself stops at the declared size; the bound does not rest on that.
    stream = xlsx._CappedStream(io.BytesIO(b"x" * 100), limit=99)

    with pytest.raises(xlsx.Refused):
        stream.read()


def test_zip_of_more_parts_than_a_workbook_has_is_refused():
    parts = {f"xl/media/image{n}.png": b"" for n in range(1000)}

    assert refusal(workbook(sheet(), extra=parts)) == (xlsx.TOO_COMPLEX, {})


def test_data_that_is_not_a_zip_is_unreadable():
    assert refusal(b"PK\x03\x04 and then nothing like a zip") == (xlsx.UNREADABLE, {})


# --- the XML: what openpyxl would build --------------------------------------------------


def test_rows_beyond_the_limit_are_refused_even_when_empty():
    # 20 MB of "<row/>", stored: within the upload limit, and 300 MB to openpyxl.
    assert refusal(stored(repeated(b"<row/>", 20))) == (xlsx.TOO_COMPLEX, {})


def test_rows_up_to_the_limit_open():
    assert len(values(stored(b"<row/>" * (xlsx.MAX_SHEET_ROWS - 1)))) == xlsx.MAX_SHEET_ROWS


def test_row_numbered_beyond_the_last_row_of_excel_is_refused():
    assert refusal(stored(b'<row r="1048577"><c><v>1</v></c></row>')) == (xlsx.TOO_COMPLEX, {})


def test_row_numbered_as_the_last_row_of_excel_opens():
    assert len(values(stored(b'<row r="1048576"><c><v>1</v></c></row>'))) == 1_048_576


def test_row_with_more_cells_than_the_limit_is_refused():
    assert refusal(stored(b"<row>" + b"<c/>" * 201 + b"</row>")) == (
        xlsx.TOO_MANY_COLUMNS,
        {"max": 200},
    )


def test_cell_in_a_column_beyond_the_limit_is_refused():
    # One cell in column XFD would make openpyxl fill every row out to 16,384 cells.
    assert refusal(stored(b'<row><c r="XFD2"><v>1</v></c></row>')) == (
        xlsx.TOO_MANY_COLUMNS,
        {"max": 200},
    )


def test_cell_in_the_last_column_of_the_limit_opens():
    assert values(stored(b'<row><c r="GR2"><v>1</v></c></row>'))[1][199] == 1


def test_cells_beyond_the_limit_are_refused(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_SHEET_CELLS", 1_000)

    assert refusal(stored(b"<row><c/></row>" * 996)) == (xlsx.TOO_COMPLEX, {})


def test_shared_strings_beyond_the_limit_are_refused(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_SHARED_STRINGS", 1_000)
    data = workbook(sheet(row(*RECIPIENT)), strings=workbooks.shared_strings(1_001))

    assert refusal(data) == (xlsx.TOO_COMPLEX, {})


def test_shared_strings_up_to_the_limit_open(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_SHARED_STRINGS", 1_000)
    data = workbook(
        sheet(b'<row><c t="s"><v>999</v></c></row>'), strings=workbooks.shared_strings(1_000)
    )

    assert values(data)[1] == ("999",)


def test_cell_longer_than_excel_allows_is_refused():
    assert refusal(stored(b"<row>" + cell("x" * 32_768) + b"</row>")) == (xlsx.TOO_COMPLEX, {})


def test_cell_as_long_as_excel_allows_opens():
    assert len(str(values(stored(b"<row>" + cell("x" * 32_767) + b"</row>"))[1][0])) == 32_767


def test_rich_text_of_more_runs_than_the_limit_is_refused():
    runs = b"<r><t>x</t></r>" * 600
    rich = b'<row><c t="inlineStr"><is>' + runs + b"</is></c></row>"

    assert refusal(stored(rich)) == (xlsx.TOO_COMPLEX, {})


def test_other_part_of_more_elements_than_the_limit_is_refused():
    styles = b'<styleSheet xmlns="' + workbooks.MAIN.encode() + b'">' + b"<xf/>" * 100_000
    styles += b"</styleSheet>"

    assert refusal(workbook(sheet(), extra={"xl/styles.xml": styles})) == (xlsx.TOO_COMPLEX, {})


def test_document_type_declaration_is_refused():
    # The way to entity expansion ("billion laughs"); no spreadsheet has one.
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "ha">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<worksheet xmlns="' + workbooks.MAIN.encode() + b'"><sheetData><row>'
        b'<c t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>'
    )

    assert refusal(workbook([laughs])) == (xlsx.UNREADABLE, {})


def test_malformed_xml_is_unreadable():
    assert refusal(workbook([b"<worksheet><sheetData><row></sheetData>"])) == (
        xlsx.UNREADABLE,
        {},
    )
