"""Reading a recipient file into rows of text: XLSX or CSV (its encoding and delimiter),
its heading row found, its size bounded."""

from __future__ import annotations

import codecs
import csv
import re
import unicodedata
from collections.abc import Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import chain, islice

from medvirk.core import xlsx

from .headings import _map_columns
from .labels import _FIELD_BY_KEY, _cell_text, _clean, _header_key, _shown
from .records import Problem, Severity

MAX_ROWS = 200_000
MAX_COLUMNS = xlsx.MAX_COLUMNS
MAX_LINE_CHARS = 100_000  # of a CSV file
HEADER_SEARCH_ROWS = 10  # the headings may be below a title, in one of the first rows
MIN_HEADINGS = 3  # headings Medvirk must know in a row to take it for the heading row

_XLSX_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0"
_DELIMITERS = (";", "\t", ",")  # in order of preference when counts tie
_LINE_END = re.compile(r"\r\n|\r|\n")
_XLSX_REFUSALS = {
    xlsx.TOO_LARGE: "xlsx_too_large",
    xlsx.PACKED_TOO_TIGHTLY: "xlsx_packed_too_tightly",
    xlsx.TOO_COMPLEX: "xlsx_too_complex",
    xlsx.TOO_MANY_COLUMNS: "too_many_columns",
    xlsx.UNREADABLE: "file_unreadable",
}


class _FileProblem(Exception):
    def __init__(self, code: str, params: Mapping[str, str | int] | None = None) -> None:
        super().__init__(code)
        self.problem = Problem(None, None, code, dict(params or {}), Severity.ERROR)


@dataclass
class _Table:
    header_row: int
    header: list[str]
    columns: dict[str, int]  # field -> index of its column in ``header``
    problems: list[Problem]  # with the headings, and the title rows skipped
    # (spreadsheet row number, the cells of ``columns`` in its order), blank rows left out;
    # the other columns are dropped as they are read, so they cost no memory
    rows: list[tuple[int, list[str]]]


def _read_table(data: bytes) -> _Table:
    if data.startswith(_OLE2_MAGIC):
        raise _FileProblem("xls_not_supported")
    rows = _xlsx_rows(data) if data.startswith(_XLSX_MAGIC) else _csv_rows(_decode(data))
    try:
        return _table(rows)
    finally:
        rows.close()  # closes the workbook at once, also when the file has too many rows


def _table(numbered: Iterator[tuple[int, list[str]]]) -> _Table:
    first: list[tuple[int, list[str]]] = []  # where the heading row is looked for
    for number, cells in numbered:
        if not _blank(cells):
            first.append((number, cells))
            if len(first) == HEADER_SEARCH_ROWS:
                break
    if not first:
        raise _FileProblem("file_empty")
    at = _heading_row_index(first)
    header_row = first[at][0]
    header = [_clean(cell) for cell in first[at][1]]
    while header and not header[-1]:
        header.pop()
    if len(header) > MAX_COLUMNS:
        raise _FileProblem("too_many_columns", {"max": MAX_COLUMNS})
    columns, problems = _map_columns(header)
    if at:
        titles = " / ".join(_row_text(cells) for _number, cells in first[:at])
        params: dict[str, str | int] = {"row": header_row, "text": _shown(titles)}
        problems.append(Problem(None, None, "title_rows_skipped", params, Severity.WARNING))

    wanted = list(columns.values())
    rows: list[tuple[int, list[str]]] = []
    for number, cells in chain(first[at + 1 :], numbered):
        if _blank(cells):
            continue
        if len(rows) == MAX_ROWS:
            raise _FileProblem("too_many_rows", {"max": MAX_ROWS})
        rows.append((number, [_clean(cells[i]) if i < len(cells) else "" for i in wanted]))
    if not rows:
        raise _FileProblem("no_rows")
    return _Table(header_row, header, columns, problems, rows)


def _blank(cells: list[str]) -> bool:
    return not any(cell and not cell.isspace() for cell in cells)


def _row_text(cells: list[str]) -> str:
    return " | ".join(text for text in map(_clean, cells) if text)


def _recognised(cells: Iterable[str]) -> set[str]:
    """The fields whose headings are among ``cells``."""
    keys = (_header_key(cell) for cell in cells if cell)
    return {_FIELD_BY_KEY[key] for key in keys if key in _FIELD_BY_KEY}


def _heading_row_index(first: list[tuple[int, list[str]]]) -> int:
    """Which of the first rows holds the headings: one with enough headings Medvirk knows.

    A title above the headings ("Mottakerliste, Brukerundersøkelse 2026") is then skipped.
    With no such row, the first row counts as the headings, and its missing columns are
    reported; unless not one of its cells is a heading, when it is plainly not one.
    """
    for index, (_number, cells) in enumerate(first):
        if len(_recognised(cells)) >= MIN_HEADINGS:
            return index
    if not _recognised(first[0][1]):
        text = _shown(_row_text(first[0][1]))
        raise _FileProblem("headings_not_found", {"rows": HEADER_SEARCH_ROWS, "text": text})
    return 0


def _xlsx_rows(data: bytes) -> Generator[tuple[int, list[str]], None, None]:
    try:
        workbook = xlsx.open_workbook(data)
    except xlsx.Refused as exc:
        raise _FileProblem(_XLSX_REFUSALS[exc.code], exc.params) from exc
    except Exception as exc:  # a zip that is not XLSX (ODS, DOCX, damaged): many types
        raise _FileProblem("file_unreadable") from exc
    try:
        if not workbook.worksheets:
            raise _FileProblem("file_empty")
        sheet = workbook.worksheets[0]
        # Some programs write wrong sheet dimensions; read every cell that is there.
        reset = getattr(sheet, "reset_dimensions", None)
        if reset is not None:
            reset()
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, [_cell_text(value) for value in values]
        except _FileProblem:
            raise
        except xlsx.Refused as exc:
            raise _FileProblem(_XLSX_REFUSALS[exc.code], exc.params) from exc
        except Exception as exc:  # a damaged sheet inside a readable zip
            raise _FileProblem("file_unreadable") from exc
    finally:
        workbook.close()


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return unicodedata.normalize("NFC", data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise _FileProblem("file_unreadable") from exc
    if b"\x00" in data[:4096]:
        raise _FileProblem("file_unreadable")  # a binary file (PDF, image, …)
    if data.startswith(codecs.BOM_UTF8):
        text = data.decode("utf-8-sig", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Windows-1252 leaves five bytes undefined; Latin-1 reads those as well.
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
    return unicodedata.normalize("NFC", text)


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their line breaks, as the csv module wants them.

    A line longer than ``MAX_LINE_CHARS`` stops the import before it is copied out: a file
    of 20 MB of semicolons would otherwise be one row of 20 million cells.
    """
    start = 0
    number = 0
    for match in _LINE_END.finditer(text):
        number += 1
        if match.end() - start > MAX_LINE_CHARS:
            raise _FileProblem("line_too_long", {"row": number, "max": MAX_LINE_CHARS})
        yield text[start : match.end()]
        start = match.end()
    if len(text) - start > MAX_LINE_CHARS:
        raise _FileProblem("line_too_long", {"row": number + 1, "max": MAX_LINE_CHARS})
    if start < len(text):
        yield text[start:]


def _first_line(text: str) -> str:
    """The first non-blank line, read up to the first line break outside quotes."""
    start = 0
    while True:
        in_quotes = False
        for index in range(start, len(text)):
            char = text[index]
            if char == '"':
                in_quotes = not in_quotes
            elif char in "\r\n" and not in_quotes:
                line = text[start:index]
                if line.strip(' \t;,"'):  # a row of empty cells is blank too
                    return line
                start = index + 1
                break
        else:
            return text[start:]


def _delimiter(text: str) -> str:
    """The delimiter that splits one of the first rows into headings Medvirk knows; without
    such a row, the one the first line has most of (outside quotes)."""
    head = text[: HEADER_SEARCH_ROWS * MAX_LINE_CHARS]
    for delimiter in _DELIMITERS:
        rows = (row for row in csv.reader(_lines(head), delimiter=delimiter) if not _blank(row))
        first = islice(rows, HEADER_SEARCH_ROWS)
        try:
            if any(len(_recognised(row)) >= MIN_HEADINGS for row in first):
                return delimiter
        except (csv.Error, _FileProblem):
            continue
    counts = dict.fromkeys(_DELIMITERS, 0)
    in_quotes = False
    for char in _first_line(head):
        if char == '"':
            in_quotes = not in_quotes
        elif not in_quotes and char in counts:
            counts[char] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])  # max keeps the first on a tie
    return best if counts[best] else ";"


def _csv_rows(text: str) -> Generator[tuple[int, list[str]], None, None]:
    if not text.strip():
        raise _FileProblem("file_empty")
    reader = csv.reader(_lines(text), delimiter=_delimiter(text))
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, cells
    except csv.Error as exc:
        # The csv module's own bound on a cell (131,072 characters), which a quotation mark
        # never closed runs into; anything else it refuses is not CSV.
        if "field limit" not in str(exc):
            raise _FileProblem("file_unreadable") from exc
        params = {"row": number + 1, "max": MAX_LINE_CHARS}
        raise _FileProblem("line_too_long", params) from exc
