"""Open an Excel workbook (.xlsx) someone uploaded without letting the file take the machine.

An XLSX file is a zip of XML parts, and two things make it dangerous to hand straight to
openpyxl. A few hundred KB can unpack to gigabytes (a zip bomb). And even a part of honest
size costs openpyxl many times its size: every ``<row/>`` (6 bytes) and every ``<c/>``
(4 bytes) becomes a Python object, so 20 MB of them, stored without any compression, took
1.6 GB to read. So ``open_workbook``, before openpyxl sees anything:

1. reads the zip's directory only and refuses a file whose parts would unpack to more than
   ``MAX_UNPACKED_BYTES`` together, or of which a sizeable part is packed ``MAX_RATIO``
   times tighter than spreadsheets ever are;
2. streams every XML part once through expat, which keeps nothing, counting what openpyxl
   would build (rows, cells, shared strings, other elements, the text of a cell) and stops
   at the first limit;
3. gives openpyxl an archive whose parts can only be read through a stream that ends at the
   size the directory declared, so a part that lies about its size gets no further than
   the checks above allowed.

A refusal raises ``Refused`` with a code and values for the caller's message. The limits
are far above what a list exported from a case system or kept in a spreadsheet needs
(200,000 rows of 10 columns unpack to about 110 MB when openpyxl writes them, and to less
when Excel does). No Django here.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from typing import IO, TYPE_CHECKING, Any
from xml.parsers import expat

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

__all__ = [
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_RATIO",
    "MAX_SHEET_ROWS",
    "MAX_UNPACKED_BYTES",
    "PACKED_TOO_TIGHTLY",
    "Refused",
    "TOO_COMPLEX",
    "TOO_LARGE",
    "TOO_MANY_COLUMNS",
    "UNREADABLE",
    "open_workbook",
]

MAX_UNPACKED_BYTES = 128 * 2**20
MAX_RATIO = 100  # Spreadsheets pack 5-20 times; a zip bomb a thousand times.
RATIO_CHECKED_FROM = 2**20  # Smaller parts cannot unpack to anything that matters.
MAX_DIRECTORY_BYTES = 2**20  # Excel's files have a few KB of directory.
MAX_PARTS = 1_000

MAX_SHEET_ROWS = 400_000  # in all worksheets together, empty rows included
MAX_SHEET_CELLS = 5_000_000
MAX_COLUMNS = 200  # cells in one row, and the column of any cell
EXCEL_ROWS = 1_048_576  # the last row a worksheet has
MAX_SHARED_STRINGS = 1_000_000
MAX_CELL_ELEMENTS = 1_000  # elements inside one cell or shared string (rich-text runs)
MAX_CELL_CHARS = 32_767  # the most Excel puts in a cell
MAX_PART_ELEMENTS = 100_000  # in any other part (styles, workbook, relationships …)

# Codes of ``Refused``; the values each carries are in brackets.
TOO_LARGE = "too_large"  # (size_mb, max_mb) unpacks to too much
PACKED_TOO_TIGHTLY = "packed_too_tightly"  # (ratio) a zip bomb
TOO_COMPLEX = "too_complex"  # () too many rows, cells, strings or elements
TOO_MANY_COLUMNS = "too_many_columns"  # (max) a row with too many cells
UNREADABLE = "unreadable"  # () not a zip, or XML that is not well-formed

_END_OF_DIRECTORY = b"PK\x05\x06"
_END_OF_DIRECTORY_SIZE = 22
_CHUNK = 2**16


class Refused(Exception):
    def __init__(self, code: str, **params: int | str) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


def open_workbook(data: bytes) -> Workbook:
    """The workbook in ``data``, opened read-only with values (not formulas).

    Raises ``Refused`` for a file beyond the limits, and whatever openpyxl raises for a zip
    that is not a workbook.
    """
    from openpyxl.reader.excel import ExcelReader  # CSV imports never need openpyxl

    archive = _checked_archive(data)
    _scan(archive)
    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
    # openpyxl opens its own zip of the file; swap in the capped one before it reads a part.
    reader.archive.close()
    reader.archive = archive
    reader.read()
    return reader.wb


# --- 1. The directory ---------------------------------------------------------------------


def _checked_archive(data: bytes) -> _CappedZipFile:
    _check_directory_size(data)
    try:
        archive = _CappedZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError, OSError, struct.error) as exc:
        raise Refused(UNREADABLE) from exc
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise Refused(TOO_COMPLEX)
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        raise Refused(TOO_LARGE, size_mb=-(-unpacked // 2**20), max_mb=MAX_UNPACKED_BYTES // 2**20)
    for part in parts:
        ratio = part.file_size // max(part.compress_size, 1)
        if part.file_size >= RATIO_CHECKED_FROM and ratio > MAX_RATIO:
            raise Refused(PACKED_TOO_TIGHTLY, ratio=ratio)
    return archive


def _check_directory_size(data: bytes) -> None:
    """Refuse a zip directory too large to hold in memory, before zipfile reads it.

    zipfile makes an object of every entry in the directory, whatever the entry count in
    its end record says; the end record's directory size is what bounds that.
    """
    start = data.rfind(_END_OF_DIRECTORY, max(0, len(data) - _END_OF_DIRECTORY_SIZE - 2**16))
    if start < 0 or len(data) < start + _END_OF_DIRECTORY_SIZE:
        raise Refused(UNREADABLE)
    fields = struct.unpack("<4s4H2LH", data[start : start + _END_OF_DIRECTORY_SIZE])
    entries, directory_size = fields[4], fields[5]
    if entries > MAX_PARTS or directory_size > MAX_DIRECTORY_BYTES:
        raise Refused(TOO_COMPLEX)


# --- 3. Reading a part, never beyond its declared size ------------------------------------


class _CappedStream(io.RawIOBase):
    """A part's unpacked bytes, ending with ``Refused`` if more come than were declared.

    CPython's zipfile stops at the declared size too (and then fails the checksum); this
    keeps the bound whatever the zip implementation does.
    """

    def __init__(self, raw: IO[bytes], limit: int) -> None:
        super().__init__()
        self._raw = raw
        self._left = limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = self._raw.read(min(len(view), self._left + 1))
        if len(data) > self._left:  # the part holds more than the directory says
            raise Refused(UNREADABLE)
        self._left -= len(data)
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()


class _CappedZipFile(zipfile.ZipFile):
    def open(
        self,
        name: str | zipfile.ZipInfo,
        mode: str = "r",
        pwd: bytes | None = None,
        *,
        force_zip64: bool = False,
    ) -> IO[bytes]:
        if mode != "r":
            raise ValueError("a capped archive is for reading only")
        info = name if isinstance(name, zipfile.ZipInfo) else self.getinfo(name)
        raw = super().open(info, "r", pwd)
        return io.BufferedReader(_CappedStream(raw, info.file_size), _CHUNK)


# --- 2. Counting what openpyxl would build ---------------------------------------------------


class _Counter:
    """Counts the elements of the XML parts, refusing at the first limit.

    Cells live in ``<c>`` elements inside ``<row>`` in a worksheet; a shared string is an
    ``<si>`` in the shared-strings part. Element names are compared without their namespace
    prefix, since some programs write ``<x:row>``.
    """

    def __init__(self) -> None:
        self.rows = 0
        self.cells = 0
        self.strings = 0
        self._reset_part("")

    def _reset_part(self, name: str) -> None:
        self.kind = (
            "sheet"
            if name.startswith("xl/worksheets/")
            else "strings"
            if name.endswith("sharedStrings.xml")
            else "other"
        )
        self.part_elements = 0
        self.row_cells = 0
        self.depth = 0
        self.item_depth = 0  # the depth of the open cell or shared string; 0 when none is
        self.item_elements = 0
        self.item_chars = 0

    def part(self, name: str, stream: IO[bytes]) -> None:
        self._reset_part(name)
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._text
        # No spreadsheet needs a DTD; refusing one leaves entity expansion no way in.
        parser.StartDoctypeDeclHandler = self._refuse_dtd
        try:
            while chunk := stream.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise Refused(UNREADABLE) from exc

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        local = name.rpartition(":")[2]
        if self.item_depth:
            self.item_elements += 1
            if self.item_elements > MAX_CELL_ELEMENTS:
                raise Refused(TOO_COMPLEX)
        elif self.kind == "sheet" and local == "row":
            self.rows += 1
            self.row_cells = 0
            # openpyxl yields an empty row for every number skipped: row 10**9 would take
            # hours.
            if self.rows > MAX_SHEET_ROWS or _row_number(attributes) > EXCEL_ROWS:
                raise Refused(TOO_COMPLEX)
        elif self.kind == "sheet" and local == "c":
            self.cells += 1
            self.row_cells += 1
            # openpyxl fills a row out to its last cell: one cell in column XFD makes each
            # row 16,384 cells wide.
            if self.row_cells > MAX_COLUMNS or _column_number(attributes) > MAX_COLUMNS:
                raise Refused(TOO_MANY_COLUMNS, max=MAX_COLUMNS)
            if self.cells > MAX_SHEET_CELLS:
                raise Refused(TOO_COMPLEX)
            self._open_item()
        elif self.kind == "strings" and local == "si":
            self.strings += 1
            if self.strings > MAX_SHARED_STRINGS:
                raise Refused(TOO_COMPLEX)
            self._open_item()
        else:
            self.part_elements += 1
            if self.part_elements > MAX_PART_ELEMENTS:
                raise Refused(TOO_COMPLEX)

    def _open_item(self) -> None:
        self.item_depth = self.depth
        self.item_elements = 0
        self.item_chars = 0

    def _end(self, _name: str) -> None:
        if self.depth == self.item_depth:
            self.item_depth = 0
        self.depth -= 1

    def _text(self, text: str) -> None:
        if self.item_depth:
            self.item_chars += len(text)
            if self.item_chars > MAX_CELL_CHARS:
                raise Refused(TOO_COMPLEX)

    @staticmethod
    def _refuse_dtd(*_args: object) -> None:
        raise Refused(UNREADABLE)


def _row_number(attributes: dict[str, str]) -> int:
    """The row's number (its ``r``), or 0 when it has none or a malformed one."""
    number = attributes.get("r", "")
    return int(number) if number.isdigit() and len(number) < 12 else 0


def _column_number(attributes: dict[str, str]) -> int:
    """The column of a cell from its reference (``r="AB12"`` is 28), or 0 without one."""
    letters = attributes.get("r", "").rstrip("0123456789").upper()
    if not letters.isascii() or not letters.isalpha():
        return 0
    if len(letters) > 3:  # beyond XFD, Excel's last column
        return MAX_COLUMNS + 1
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _scan(archive: _CappedZipFile) -> None:
    counter = _Counter()
    for part in archive.infolist():
        if part.is_dir() or not part.filename.endswith((".xml", ".rels")):
            continue
        try:
            with archive.open(part) as stream:
                counter.part(part.filename, stream)
        # A damaged or encrypted part, or one packed with a method zipfile lacks
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError) as exc:
            raise Refused(UNREADABLE) from exc
