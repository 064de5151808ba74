"""Recipient lists for a survey round, read from the files case systems export.

Quality advisers export a list of service recipients from Gerica, Profil, CosDoc or a
spreadsheet and import it into a survey round. This module reads such a file, checks every
row and reports every problem with its row number, so the adviser can fix the file in the
program it came from. It has no Django in it: the caller passes the units of the round and
turns the problems into translated messages (``PROBLEM_CODES`` holds the English templates).

Files are recognised by their content, never by their name:

- XLSX (a zip file): the first worksheet is read, once ``medvirk.core.xlsx`` has made sure
  the file cannot unpack to more than a recipient list ever needs (a zip bomb).
- Old Excel (.xls) and password-protected Excel files are refused with advice to save as
  .xlsx or CSV.
- Anything else is CSV text: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode
  text"), otherwise Windows-1252; ``;``, ``,`` or tab as delimiter, chosen from the header.

The headings are in the first row, or below a title in one of the first
``HEADER_SEARCH_ROWS`` rows: the first row in which ``MIN_HEADINGS`` headings are known.
Rows are numbered as a spreadsheet shows them (blank rows count, a title too). Headings are
matched through ``HEADER_SYNONYMS``; other columns are ignored and their values never leave
this module, so a national identity number column (fødselsnummer) is never stored, logged
or shown. A CSV file's lines, and a workbook's rows, cells and unpacked size, are bounded, so
that no file makes the import use much more memory than the largest list it accepts.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import re
import unicodedata
from collections.abc import (
    Callable,
    Collection,
    Generator,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import chain, islice

from medvirk.core import xlsx

__all__ = [
    "HEADER_SEARCH_ROWS",
    "HEADER_SYNONYMS",
    "LANGUAGE_VALUES",
    "MAX_COLUMNS",
    "MAX_LENGTHS",
    "MAX_LINE_CHARS",
    "MAX_ROWS",
    "PROBLEM_CODES",
    "ParseResult",
    "Problem",
    "RecipientRow",
    "RELATIVE_VALUES",
    "Severity",
    "UnitChoice",
    "identity",
    "normalise_label",
    "read_recipients",
]

MAX_ROWS = 200_000
MAX_COLUMNS = xlsx.MAX_COLUMNS
MAX_LINE_CHARS = 100_000  # of a CSV file
HEADER_SEARCH_ROWS = 10  # the headings may be below a title, in one of the first rows
MIN_HEADINGS = 3  # headings Medvirk must know in a row to take it for the heading row
PROGRESS_EVERY = 500
MAX_LENGTHS = {"name": 200, "street_address": 150, "place": 100}

# Field -> the headings accepted for it, as people write them. Matching ignores case,
# spaces, "_", "-", ".", a trailing ":" or "*", and accepts å/æ/ø written as aa/ae/oe or as
# plain a/ae/o. docs/recipient-import.md shows this table to quality advisers.
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": (
        "navn",
        "fullt navn",
        "fullstendig navn",
        "mottaker",
        "mottakers navn",
        "namn",
        "fullt namn",
        "mottakar",
        "name",
        "full name",
        "recipient",
        "recipient name",
    ),
    "first_name": ("fornavn", "førenamn", "first name", "given name"),
    "last_name": ("etternavn", "etternamn", "last name", "surname", "family name"),
    "street_address": (
        "adresse",
        "gateadresse",
        "postadresse",
        "bostedsadresse",
        "adresselinje 1",
        "adresse 1",
        "address",
        "street address",
        "street",
        "postal address",
        "address line 1",
        "address 1",
    ),
    "postal_code": (
        "postnr",
        "postnummer",
        "post nr",
        "postkode",
        "postal code",
        "postcode",
        "zip",
        "zip code",
    ),
    "place": ("poststed", "sted", "poststad", "stad", "place", "city", "town", "post town"),
    "unit": (
        "virksomhet",
        "virksomhetsnavn",
        "virksomhetskode",
        "enhet",
        "enhetsnavn",
        "enhetskode",
        "tjenestested",
        "verksemd",
        "eining",
        "tenestestad",
        "unit",
        "unit name",
        "unit code",
    ),
    "service": (
        "tjeneste",
        "tjenestetype",
        "tjenestekode",
        "teneste",
        "tenestetype",
        "service",
        "service type",
        "service code",
    ),
    "language": ("språk", "målform", "language", "lang"),
    "is_relative": ("pårørende", "er pårørende", "pårørande", "relative", "is relative"),
}

# Headings of columns that hold national identity numbers (matched like the headings above:
# exact keys, then parts of keys). Such columns are ignored like any unknown column, but
# the warning says so plainly.
_IDENTITY_HEADER_KEYS = {"fnr", "fnummer", "pnr", "dnr", "dnummer", "ssn", "nin", "personid"}
_IDENTITY_HEADER_PARTS = (
    "foedselsn",
    "fodselsn",
    "personnummer",
    "personnr",
    "identitetsnummer",
    "identitetsnr",
    "idnummer",
    "idnr",
    "nationalid",
    "personalid",
    "socialsecurity",
    "birthnumber",
)

LANGUAGE_VALUES: dict[str, str] = {
    **dict.fromkeys(
        (
            "nb",
            "nob",
            "no",
            "bokmål",
            "bokmal",
            "bokmaal",
            "norsk",
            "norwegian",
            "norsk bokmål",
            "norsk bokmal",
            "norwegian bokmål",
            "norwegian bokmal",
            "nb-no",
            "no-nb",
        ),
        "nb",
    ),
    **dict.fromkeys(
        ("nn", "nno", "nynorsk", "norsk nynorsk", "norwegian nynorsk", "nn-no", "no-nn"), "nn"
    ),
    **dict.fromkeys(("en", "eng", "engelsk", "english", "en-gb", "en-us"), "en"),
}
DEFAULT_LANGUAGE = "nb"

RELATIVE_VALUES: dict[str, bool] = {
    **dict.fromkeys(("", "nei", "n", "no", "0", "false", "usann", "usant"), False),
    **dict.fromkeys(("ja", "j", "yes", "y", "1", "x", "true", "sann", "sant"), True),
}

# Every code this module reports, with an English message template for the caller to
# translate. Placeholders are filled from ``Problem.params``.
PROBLEM_CODES: dict[str, str] = {
    # The whole file
    "xls_not_supported": (
        "This is an old Excel file (.xls) or a password-protected file. Open it in Excel, "
        "save it as .xlsx or CSV without a password, and import that file."
    ),
    "file_unreadable": (
        "The file could not be read as CSV or Excel (.xlsx). Save the list as .xlsx or CSV "
        "and import that file."
    ),
    "file_empty": "The file is empty. Export the recipient list again and import that file.",
    "no_rows": ("The file has headings but no recipients. Export the list again with its rows."),
    "too_many_rows": (
        "The file has more than %(max)s rows. Split it into smaller files and import them "
        "one at a time."
    ),
    "too_many_columns": (
        "The file has more than %(max)s columns. Delete the columns Medvirk does not use "
        "and import the file again."
    ),
    "line_too_long": (
        'Row %(row)s is longer than %(max)s characters. A quotation mark (") that is never '
        "closed often causes this: correct the row, or save the list from Excel again, and "
        "import the file again."
    ),
    "xlsx_too_large": (
        "This Excel file takes up %(size_mb)s MB when it is unpacked; Medvirk reads at most "
        "%(max_mb)s MB. Save the list as CSV in Excel, or split it into smaller files, and "
        "import them one at a time."
    ),
    "xlsx_packed_too_tightly": (
        "This Excel file unpacks to %(ratio)s times its size, far more than a spreadsheet "
        "does, so Medvirk did not open it. Open it in Excel, save the list as CSV, and "
        "import that file."
    ),
    "xlsx_too_complex": (
        "This Excel file holds far more rows, cells or formatting than a recipient list, so "
        "Medvirk did not open it. Copy the list into a new workbook, or save it as CSV, and "
        "import that file."
    ),
    "headings_not_found": (
        "None of the first %(rows)s rows has the column headings. The first row reads "
        "“%(text)s”. Put the headings (for example Navn, Adresse, Postnr, Poststed, "
        "Virksomhet) in one row at the top and import the file again."
    ),
    "title_rows_skipped": (
        "The headings are in row %(row)s; the rows above them were taken for a title and "
        "skipped: “%(text)s”."
    ),
    "column_missing": (
        "A required column is missing. Add a column with one of these headings: %(headers)s."
    ),
    "column_duplicate": (
        "The columns %(headers)s mean the same thing. Keep one of them and delete or rename "
        "the others."
    ),
    "columns_ignored": "These columns are not used and were ignored: %(headers)s.",
    "columns_ignored_identity_number": (
        "These columns are not used and were ignored: %(headers)s. National identity numbers "
        "(%(identity_headers)s) are never read or stored; leave them out of the export."
    ),
    # One row
    "name_missing": "The name is missing. Fill in the recipient's name.",
    "name_too_long": "The name has %(length)s characters; at most %(max)s fit. Shorten it.",
    "street_address_missing": (
        "The address is missing. Fill in the street address the letter should go to."
    ),
    "street_address_too_long": (
        "The address has %(length)s characters; at most %(max)s fit. Shorten it."
    ),
    "postal_code_missing": "The postal code is missing. Fill in the four-digit postal code.",
    "postal_code_malformed": (
        "The postal code %(value)s is not four digits. Correct it (for example 0150)."
    ),
    "place_missing": "The place (poststed) is missing. Fill it in.",
    "place_too_long": "The place has %(length)s characters; at most %(max)s fit. Shorten it.",
    "identity_number_in_field": (
        "This looks like a national identity number. Remove it: Medvirk never stores "
        "identity numbers."
    ),
    "unit_missing": "The unit is missing. Fill in the unit's code or name.",
    "unit_unknown": (
        "%(value)s is not a unit in this survey round. Write the unit's code or name as in "
        "Medvirk, or add the unit to the round."
    ),
    "service_unknown": (
        "%(value)s is not a service in this survey round. Write the service's code or name "
        "as in Medvirk, or leave the cell empty."
    ),
    "service_not_delivered": (
        "%(unit)s does not deliver the service %(value)s. Correct the unit or the service, "
        "or leave the service empty."
    ),
    "language_unknown": (
        "The language %(value)s is not known. Write nb (bokmål), nn (nynorsk) or en "
        "(English), or leave the cell empty for bokmål."
    ),
    "relative_unknown": (
        "%(value)s is not a yes or no. Write ja or nei, or leave the cell empty for nei."
    ),
    "relatives_not_in_round": (
        "This round has no relatives survey, so the row cannot be a relative. Remove the "
        "row or write nei."
    ),
    "duplicate_merged": (
        "The same person at the same unit as row %(first_row)s; merged with that row."
    ),
    "already_in_round": "This person is already in the round at this unit; skipped.",
}


@dataclass(frozen=True)
class UnitChoice:
    """A unit the round covers, and the services it may be answered for."""

    id: int
    code: str
    name: str
    # every accepted spelling (code, names in any language), already normalised with
    # `normalise_label`, -> service type id
    service_types: Mapping[str, int]


@dataclass(frozen=True)
class RecipientRow:
    row: int  # the row number a spreadsheet shows (header row = 1)
    name: str
    street_address: str
    postal_code: str  # four digits
    place: str
    unit_id: int
    service_type_id: int | None
    language: str  # "nb" | "nn" | "en"
    is_relative: bool


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    row: int | None  # None for a problem with the whole file
    column: str | None  # the column's header as written in the file, when it concerns one
    code: str  # a key of PROBLEM_CODES
    params: Mapping[str, str | int]  # values for the message
    severity: Severity


@dataclass
class ParseResult:
    rows: list[RecipientRow]  # valid rows, duplicates already merged away
    problems: list[Problem]  # sorted by row (file-level first)
    total_rows: int  # data rows read (blank rows not counted)
    columns: dict[str, str] = field(default_factory=dict)  # field -> header as written

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == Severity.WARNING]

    @property
    def invalid_rows(self) -> set[int]:
        """Row numbers with at least one error."""
        return {p.row for p in self.errors if p.row is not None}

    @property
    def ok(self) -> bool:
        """True when nothing in the file is an error (warnings are fine)."""
        return not self.errors


# --- Normalising -------------------------------------------------------------------------

_NOT_ALNUM = re.compile(r"[\W_]+")
_HEADER_SEPARATORS = re.compile(r"[\s_.\-]+")
_POSTAL_CODE = re.compile(r"(\d{1,4})(?:[.,]0+)?")
_IDENTITY_NUMBER = re.compile(r"(?<!\d)\d{6}[ .\-]?\d{5}(?!\d)")
_SHOWN_LENGTH = 60


def normalise_label(text: str) -> str:
    """Casefold, collapse whitespace and strip: how units, services and headings compare."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def identity(
    name: str, street_address: str, postal_code: str, unit_id: int
) -> tuple[str, str, str, int]:
    """The key that says two rows are the same person at the same unit.

    Case, spacing and punctuation do not count: "Ola Nordmann, Storgata 1 B" and
    "OLA  NORDMANN, Storgata 1b" are the same person.
    """
    return (
        _identity_part(name),
        _identity_part(street_address),
        _identity_part(postal_code),
        unit_id,
    )


def _identity_part(text: str) -> str:
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).casefold())


def _header_key(text: str) -> str:
    """A heading reduced for matching: "Post-nr.:" and "postnr" give the same key."""
    label = normalise_label(text).rstrip(":* ")
    label = _HEADER_SEPARATORS.sub("", label)
    return label.replace("å", "aa").replace("æ", "ae").replace("ø", "oe").replace("ä", "ae")


def _synonym_keys(synonym: str) -> set[str]:
    """The keys a synonym matches: as written, with aa/ae/oe, and with plain a/ae/o."""
    plain = normalise_label(synonym).replace("å", "a").replace("ø", "o").replace("æ", "ae")
    return {_header_key(synonym), _header_key(plain)}


_FIELD_BY_KEY: dict[str, str] = {
    key: name
    for name, synonyms in HEADER_SYNONYMS.items()
    for synonym in synonyms
    for key in _synonym_keys(synonym)
}


def _looks_like_identity_number_header(key: str) -> bool:
    return key in _IDENTITY_HEADER_KEYS or any(part in key for part in _IDENTITY_HEADER_PARTS)


def _shown(value: str) -> str:
    """A cell's value as it may appear in a message: identity numbers hidden, length capped."""
    value = _IDENTITY_NUMBER.sub("•" * 11, value)
    if len(value) > _SHOWN_LENGTH:
        value = value[: _SHOWN_LENGTH - 1] + "…"
    return value


def _clean(value: str) -> str:
    """Trim, and collapse runs of whitespace (line breaks in a cell too) to one space."""
    return " ".join(value.split())


def _cell_text(value: object) -> str:
    """An XLSX cell's value as text; numbers without a spurious ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    return str(value)


# --- Reading the file into rows of text --------------------------------------------------

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


# --- Headings ------------------------------------------------------------------------------

_REQUIRED = ("street_address", "postal_code", "place", "unit")


def _suggested_headers(field_name: str) -> str:
    if field_name == "name":
        return "Navn, Fornavn + Etternavn, Name, First name + Last name"
    examples = {
        "street_address": "Adresse, Address",
        "postal_code": "Postnr, Postnummer, Postal code",
        "place": "Poststed, Place",
        "unit": "Virksomhet, Enhet, Unit",
    }
    return examples[field_name]


def _map_columns(header: list[str]) -> tuple[dict[str, int], list[Problem]]:
    """Field -> column index, and the file-level problems with the headings."""
    found: dict[str, list[int]] = {}
    unknown: list[str] = []
    identity_columns: list[str] = []
    for index, heading in enumerate(header):
        if not heading:
            continue
        key = _header_key(heading)
        field_name = _FIELD_BY_KEY.get(key)
        if field_name is not None:
            found.setdefault(field_name, []).append(index)
            continue
        if heading not in unknown:
            unknown.append(heading)
        if _looks_like_identity_number_header(key) and heading not in identity_columns:
            identity_columns.append(heading)

    problems: list[Problem] = []
    has_name = "name" in found or ("first_name" in found and "last_name" in found)
    missing = ([] if has_name else ["name"]) + [f for f in _REQUIRED if f not in found]
    for field_name in missing:
        params = {"field": field_name, "headers": _suggested_headers(field_name)}
        problems.append(Problem(None, None, "column_missing", params, Severity.ERROR))
    for field_name, indexes in found.items():
        if len(indexes) > 1:
            headers = ", ".join(_shown(header[i]) for i in indexes)
            params = {"field": field_name, "headers": headers}
            problems.append(Problem(None, None, "column_duplicate", params, Severity.ERROR))
    if identity_columns:
        params = {
            "headers": ", ".join(map(_shown, unknown)),
            "identity_headers": ", ".join(map(_shown, identity_columns)),
        }
        problems.append(
            Problem(None, None, "columns_ignored_identity_number", params, Severity.WARNING)
        )
    elif unknown:
        params = {"headers": ", ".join(map(_shown, unknown))}
        problems.append(Problem(None, None, "columns_ignored", params, Severity.WARNING))
    return {f: indexes[0] for f, indexes in found.items()}, problems


# --- Rows ------------------------------------------------------------------------------------


def _postal_code(value: str) -> str | None:
    """Four digits, or None. Excel drops leading zeros (0150 -> 150) and may add ".0"."""
    match = _POSTAL_CODE.fullmatch("".join(value.split()))
    return None if match is None else match.group(1).zfill(4)


class _RowChecker:
    def __init__(
        self,
        header: list[str],
        columns: Mapping[str, int],
        units: Sequence[UnitChoice],
        allow_relatives: bool,
    ) -> None:
        self.header = header
        self.columns = columns
        # A row holds the cells of ``columns`` only, in its order (see ``_Table``).
        self.positions = {field_name: index for index, field_name in enumerate(columns)}
        self.allow_relatives = allow_relatives
        self.units: dict[str, UnitChoice] = {}
        for unit in units:  # names first, so that a code wins over another unit's name
            self.units.setdefault(normalise_label(unit.name), unit)
        for unit in units:
            self.units[normalise_label(unit.code)] = unit
        self.all_services = {key for unit in units for key in unit.service_types}

    def heading(self, field_name: str) -> str:
        return self.header[self.columns[field_name]]

    def check(self, number: int, cells: list[str]) -> tuple[RecipientRow | None, list[Problem]]:
        problems: list[Problem] = []

        def get(field_name: str) -> str:
            index = self.positions.get(field_name)
            return "" if index is None else cells[index]

        def fail(field_name: str, code: str, **params: str | int) -> None:
            problems.append(Problem(number, self.heading(field_name), code, params, Severity.ERROR))

        if get("name") or "first_name" not in self.columns:
            name_field, name = "name", get("name")
        else:  # first and last name in two columns, or a blank name with them present
            name_field = "first_name"
            name = " ".join(part for part in (get("first_name"), get("last_name")) if part)
        name = self.text(name, name_field, "name", fail)
        street_address = self.text(get("street_address"), "street_address", None, fail)

        postal_value = get("postal_code")
        postal_code = _postal_code(postal_value)
        if not postal_value:
            fail("postal_code", "postal_code_missing")
        elif postal_code is None:
            fail("postal_code", "postal_code_malformed", value=_shown(postal_value))

        place = self.text(get("place"), "place", None, fail)

        unit_value = get("unit")
        unit = self.units.get(normalise_label(unit_value))
        if not unit_value:
            fail("unit", "unit_missing")
        elif unit is None:
            fail("unit", "unit_unknown", value=_shown(unit_value))

        service_type_id: int | None = None
        service_value = get("service")
        if service_value:
            key = normalise_label(service_value)
            if key not in self.all_services:
                fail("service", "service_unknown", value=_shown(service_value))
            elif unit is not None:
                if key in unit.service_types:
                    service_type_id = unit.service_types[key]
                else:
                    fail(
                        "service",
                        "service_not_delivered",
                        value=_shown(service_value),
                        unit=unit.name,
                    )

        language_value = get("language")
        language = LANGUAGE_VALUES.get(normalise_label(language_value).replace("_", "-"))
        if not language_value:
            language = DEFAULT_LANGUAGE
        elif language is None:
            fail("language", "language_unknown", value=_shown(language_value))

        relative_value = get("is_relative")
        is_relative = RELATIVE_VALUES.get(normalise_label(relative_value).rstrip("."))
        if is_relative is None:
            fail("is_relative", "relative_unknown", value=_shown(relative_value))
        elif is_relative and not self.allow_relatives:
            fail("is_relative", "relatives_not_in_round")

        if (
            problems
            or unit is None
            or postal_code is None
            or language is None
            or is_relative is None
        ):
            return None, problems
        row = RecipientRow(
            row=number,
            name=name,
            street_address=street_address,
            postal_code=postal_code,
            place=place,
            unit_id=unit.id,
            service_type_id=service_type_id,
            language=language,
            is_relative=is_relative,
        )
        return row, problems

    @staticmethod
    def text(
        value: str,
        field_name: str,
        code_prefix: str | None,
        fail: Callable[..., None],
    ) -> str:
        """Check a free-text field: present, not too long, no identity number in it."""
        prefix = code_prefix or field_name
        if not value:
            fail(field_name, f"{prefix}_missing")
        elif len(value) > MAX_LENGTHS[prefix]:
            fail(field_name, f"{prefix}_too_long", length=len(value), max=MAX_LENGTHS[prefix])
        elif _IDENTITY_NUMBER.search(value):
            fail(field_name, "identity_number_in_field")
        return value


# --- The whole import ---------------------------------------------------------------------


def read_recipients(
    data: bytes,
    *,
    units: Sequence[UnitChoice],
    allow_relatives: bool,
    known: Collection[tuple[str, str, str, int]] = (),
    progress: Callable[[int, int], None] | None = None,
) -> ParseResult:
    """Read and check a recipient file; every problem is reported, nothing is raised.

    ``known`` holds the ``identity`` of recipients already in the round; such rows are
    skipped with a warning. ``progress`` is called with (rows done, rows total) every
    ``PROGRESS_EVERY`` rows and once at the end.
    """
    try:
        table = _read_table(data)
    except _FileProblem as exc:
        if progress is not None:
            progress(0, 0)
        return ParseResult(rows=[], problems=[exc.problem], total_rows=0, columns={})

    total = len(table.rows)
    problems = list(table.problems)
    headers_as_written = {f: table.header[i] for f, i in table.columns.items()}
    if any(p.severity == Severity.ERROR for p in problems):
        if progress is not None:
            progress(total, total)
        return ParseResult(rows=[], problems=problems, total_rows=total, columns=headers_as_written)

    checker = _RowChecker(table.header, table.columns, units, allow_relatives)
    known_set: Collection[tuple[str, str, str, int]] = (
        known if isinstance(known, set | frozenset) else set(known)
    )
    first_row_of: dict[tuple[str, str, str, int], int] = {}
    rows: list[RecipientRow] = []
    last_reported = -1
    for done, (number, cells) in enumerate(table.rows, start=1):
        row, row_problems = checker.check(number, cells)
        problems.extend(row_problems)
        if row is not None:
            key = identity(row.name, row.street_address, row.postal_code, row.unit_id)
            if key in known_set:
                problems.append(Problem(number, None, "already_in_round", {}, Severity.WARNING))
            elif key in first_row_of:
                params = {"first_row": first_row_of[key]}
                problems.append(Problem(number, None, "duplicate_merged", params, Severity.WARNING))
            else:
                first_row_of[key] = number
                rows.append(row)
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, total)
            last_reported = done
    if progress is not None and last_reported != total:
        progress(total, total)

    # File-level problems come first; within a row, the order of the checks is kept.
    problems.sort(key=lambda p: -1 if p.row is None else p.row)
    return ParseResult(rows=rows, problems=problems, total_rows=total, columns=headers_as_written)
