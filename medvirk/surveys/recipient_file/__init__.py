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

from .checking import MAX_LENGTHS, read_recipients
from .labels import identity, normalise_label
from .reading import HEADER_SEARCH_ROWS, MAX_COLUMNS, MAX_LINE_CHARS, MAX_ROWS
from .records import ParseResult, Problem, RecipientRow, Severity, UnitChoice
from .vocabulary import HEADER_SYNONYMS, LANGUAGE_VALUES, PROBLEM_CODES, RELATIVE_VALUES

# The package's public API, one module per step: ``reading`` (the file into rows of text,
# the heading row found), ``headings`` (matched to fields), ``checking`` (each row, and the
# whole import), with ``vocabulary``, ``labels`` and ``records`` beneath them.
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
