"""Reading recipient lists exported from case systems: formats, headings, checks, duplicates,
and files made to exhaust the importer's memory.

No database: ``recipient_file`` is a pure module. CSV files are built inline and XLSX files
with openpyxl in memory, or part by part (``tests.core.workbooks``) for the bombs. Row
numbers are those a spreadsheet shows (header row = 1).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable, Collection, Sequence
from io import BytesIO
from pathlib import Path
from typing import cast

import pytest
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from medvirk.surveys.recipient_file import (
    PROBLEM_CODES,
    ParseResult,
    Problem,
    RecipientRow,
    Severity,
    UnitChoice,
    identity,
    normalise_label,
    read_recipients,
    reading,
)

from ..core import workbooks

HOME = UnitChoice(
    id=1,
    code="HJS-KON",
    name="Hjemmetjenesten Konnerud",
    service_types={
        "home_nursing": 10,
        "home nursing": 10,
        "hjemmesykepleie": 10,
        "safety_alarm": 11,
        "trygghetsalarm": 11,
    },
)
CENTRE = UnitChoice(
    id=2,
    code="BBS",
    name="Bragernes bo- og servicesenter",
    service_types={"day_centre": 20, "dagsenter": 20},
)
UNITS = (HOME, CENTRE)

HEADER = "Navn;Adresse;Postnr;Poststed;Virksomhet"
GOOD = "Kari Nordmann;Storgata 1;3045;Drammen;HJS-KON"
FULL_HEADER = "Navn;Adresse;Postnr;Poststed;Virksomhet;Tjeneste;Språk;Pårørende"


def csv(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx(*rows: Sequence[object]) -> bytes:
    workbook = Workbook()
    sheet = cast(Worksheet, workbook.active)  # a new workbook's one sheet
    for row in rows:
        sheet.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read(
    data: bytes,
    *,
    allow_relatives: bool = True,
    known: Collection[tuple[str, str, str, int]] = (),
    progress: Callable[[int, int], None] | None = None,
) -> ParseResult:
    return read_recipients(
        data, units=UNITS, allow_relatives=allow_relatives, known=known, progress=progress
    )


def only_problem(result: ParseResult) -> Problem:
    assert len(result.problems) == 1, result.problems
    return result.problems[0]


def codes(result: ParseResult) -> list[tuple[int | None, str]]:
    return [(p.row, p.code) for p in result.problems]


# --- File formats and encodings -------------------------------------------------------------


def test_reads_utf8_with_bom() -> None:
    result = read(b"\xef\xbb\xbf" + csv(HEADER, "Åse Ødegård;Storgata 1;3045;Drammen;BBS"))

    assert [r.name for r in result.rows] == ["Åse Ødegård"]


def test_bom_does_not_spoil_the_first_heading() -> None:
    result = read(b"\xef\xbb\xbf" + csv(HEADER, GOOD))

    assert result.columns["name"] == "Navn"


def test_reads_utf8_without_bom() -> None:
    result = read(csv(HEADER, "Åse Ødegård;Storgata 1;3045;Drammen;BBS"))

    assert [r.name for r in result.rows] == ["Åse Ødegård"]


def test_reads_windows_1252_with_norwegian_letters() -> None:
    data = csv(
        "Navn;Adresse;Postnr;Poststed;Virksomhet;Språk",
        "Åse Ødegård;Bjørnstjerne Bjørnsons gate 12;3045;Drammen;BBS;bokmål",
        "Ærlig Ås;Sørlandsvegen 3;3046;Brøttum;BBS;nynorsk",
        encoding="cp1252",
    )

    result = read(data)

    assert [(r.name, r.street_address, r.place, r.language) for r in result.rows] == [
        ("Åse Ødegård", "Bjørnstjerne Bjørnsons gate 12", "Drammen", "nb"),
        ("Ærlig Ås", "Sørlandsvegen 3", "Brøttum", "nn"),
    ]


def test_reads_utf16_unicode_text_from_excel() -> None:
    text = (
        "Navn\tAdresse\tPostnr\tPoststed\tVirksomhet\r\nÅse Ødegård\tGata 1\t3045\tDrammen\tBBS\r\n"
    )

    result = read(text.encode("utf-16"))

    assert [r.name for r in result.rows] == ["Åse Ødegård"]


def test_reads_semicolon_as_delimiter() -> None:
    result = read(csv(HEADER, GOOD))

    assert [r.postal_code for r in result.rows] == ["3045"]


def test_reads_comma_as_delimiter() -> None:
    result = read(csv(HEADER.replace(";", ","), GOOD.replace(";", ",")))

    assert [r.postal_code for r in result.rows] == ["3045"]


def test_reads_tab_as_delimiter() -> None:
    result = read(csv(HEADER.replace(";", "\t"), GOOD.replace(";", "\t")))

    assert [r.postal_code for r in result.rows] == ["3045"]


def test_quoted_field_may_contain_the_delimiter() -> None:
    data = csv(
        "Navn,Adresse,Postnr,Poststed,Virksomhet",
        '"Nordmann, Kari","Storgata 1, leil. H0203",3045,Drammen,BBS',
    )

    result = read(data)

    assert [(r.name, r.street_address) for r in result.rows] == [
        ("Nordmann, Kari", "Storgata 1, leil. H0203")
    ]


def test_semicolons_win_over_commas_inside_a_quoted_heading() -> None:
    data = csv('"Navn, fullt";Navn;Adresse;Postnr;Poststed;Virksomhet', "x;" + GOOD)

    result = read(data)

    assert [r.name for r in result.rows] == ["Kari Nordmann"]


def test_reads_the_first_worksheet_of_an_xlsx_file() -> None:
    data = xlsx(
        ["Navn", "Adresse", "Postnr", "Poststed", "Virksomhet"],
        ["Åse Ødegård", "Storgata 1", "3045", "Drammen", "BBS"],
    )

    result = read(data)

    assert [(r.row, r.name, r.unit_id) for r in result.rows] == [(2, "Åse Ødegård", 2)]


def test_xlsx_integer_postal_code_is_zero_padded() -> None:
    data = xlsx(
        ["Navn", "Adresse", "Postnr", "Poststed", "Virksomhet"],
        ["Kari Nordmann", "Karl Johans gate 1", 150, "Oslo", "BBS"],
    )

    result = read(data)

    assert [r.postal_code for r in result.rows] == ["0150"]


def test_xlsx_float_postal_code_is_read_as_four_digits() -> None:
    data = xlsx(
        ["Navn", "Adresse", "Postnr", "Poststed", "Virksomhet"],
        ["Kari Nordmann", "Storgata 1", 3045.0, "Drammen", "BBS"],
    )

    result = read(data)

    assert [r.postal_code for r in result.rows] == ["3045"]


def test_xlsx_numbers_in_text_fields_become_text() -> None:
    data = xlsx(
        ["Navn", "Adresse", "Postnr", "Poststed", "Virksomhet"],
        ["Kari Nordmann", 12, 3045, "Drammen", "BBS"],
    )

    result = read(data)

    assert [r.street_address for r in result.rows] == ["12"]


def test_xlsx_blank_rows_are_skipped_but_keep_the_numbering() -> None:
    data = xlsx(
        ["Navn", "Adresse", "Postnr", "Poststed", "Virksomhet"],
        [None, None, None, None, None],
        ["Kari Nordmann", "Storgata 1", 3045, "Drammen", "BBS"],
    )

    result = read(data)

    assert ([r.row for r in result.rows], result.total_rows) == ([3], 1)


def test_old_excel_file_is_refused_with_advice() -> None:
    result = read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)

    assert (only_problem(result).row, only_problem(result).code) == (None, "xls_not_supported")


def test_zip_that_is_not_xlsx_is_unreadable() -> None:
    result = read(b"PK\x03\x04" + b"not really a workbook")

    assert only_problem(result).code == "file_unreadable"


def test_binary_file_is_unreadable() -> None:
    result = read(b"%PDF-1.7\n\x00\x01\x02")

    assert only_problem(result).code == "file_unreadable"


def test_empty_file_is_an_error() -> None:
    result = read(b"")

    assert codes(result) == [(None, "file_empty")]


def test_file_of_blank_lines_is_empty() -> None:
    result = read(b"\xef\xbb\xbf\r\n;;;\r\n")

    assert codes(result) == [(None, "file_empty")]


def test_file_with_only_a_header_is_an_error() -> None:
    result = read(csv(HEADER))

    assert codes(result) == [(None, "no_rows")]


def test_too_many_rows_is_a_file_level_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "MAX_ROWS", 2)

    result = read(csv(HEADER, GOOD, GOOD, GOOD))

    assert (codes(result), only_problem(result).params) == ([(None, "too_many_rows")], {"max": 2})


# --- Headings -------------------------------------------------------------------------------


def test_english_headings() -> None:
    data = csv(
        "Full name;Street address;Postal code;City;Unit;Service type;Language;Is relative",
        "Kari Nordmann;Storgata 1;3045;Drammen;BBS;day_centre;english;yes",
    )

    result = read(data)

    assert result.rows == [
        RecipientRow(
            row=2,
            name="Kari Nordmann",
            street_address="Storgata 1",
            postal_code="3045",
            place="Drammen",
            unit_id=2,
            service_type_id=20,
            language="en",
            is_relative=True,
        )
    ]


def test_norwegian_headings_with_postnr_dot_and_first_and_last_name() -> None:
    data = csv(
        "Fornavn;Etternavn;Gateadresse;Postnr.;Poststed;Enhet;Tjenestetype;Målform;Er pårørende",
        "Kari;Nordmann;Storgata 1;3045;Drammen;BBS;Dagsenter;nn;nei",
    )

    result = read(data)

    assert [(r.name, r.service_type_id, r.language) for r in result.rows] == [
        ("Kari Nordmann", 20, "nn")
    ]


def test_headings_ignore_case_underscores_and_trailing_marks() -> None:
    data = csv("NAVN*;Adresse:;POST_NR;post-sted;Virksomhet *", GOOD)

    result = read(data)

    assert result.columns == {
        "name": "NAVN*",
        "street_address": "Adresse:",
        "postal_code": "POST_NR",
        "place": "post-sted",
        "unit": "Virksomhet *",
    }


def test_headings_accept_norwegian_letters_written_as_aa_ae_oe() -> None:
    data = csv(HEADER + ";Spraak;Paaroerende", GOOD + ";en;ja")

    result = read(data)

    assert (result.columns["language"], result.columns["is_relative"]) == (
        "Spraak",
        "Paaroerende",
    )


def test_headings_accept_norwegian_letters_without_accents() -> None:
    data = csv(HEADER + ";Sprak;Parorende", GOOD + ";en;ja")

    result = read(data)

    assert [(r.language, r.is_relative) for r in result.rows] == [("en", True)]


def test_besoksadresse_is_not_an_address_for_letters() -> None:
    data = csv("Navn;Besøksadresse;Postnr;Poststed;Virksomhet", GOOD)

    result = read(data)

    assert codes(result) == [(None, "column_missing"), (None, "columns_ignored")]


def test_missing_required_column_is_a_file_level_error_naming_the_field() -> None:
    data = csv("Navn;Adresse;Poststed;Virksomhet", "Kari Nordmann;Storgata 1;Drammen;BBS")

    result = read(data)

    assert [(p.code, p.params["field"]) for p in result.errors] == [
        ("column_missing", "postal_code")
    ]


def test_missing_required_column_suggests_headings() -> None:
    data = csv("Navn;Adresse;Poststed;Virksomhet", "Kari Nordmann;Storgata 1;Drammen;BBS")

    result = read(data)

    assert "Postnr" in str(result.errors[0].params["headers"])


def test_first_name_without_last_name_is_a_missing_name_column() -> None:
    data = csv("Fornavn;Adresse;Postnr;Poststed;Virksomhet", GOOD)

    result = read(data)

    assert [p.params["field"] for p in result.errors] == ["name"]


def test_missing_column_imports_no_rows() -> None:
    result = read(csv("Navn;Adresse;Poststed;Virksomhet", "Kari Nordmann;Storgata 1;Drammen;BBS"))

    assert (result.rows, result.total_rows) == ([], 1)


def test_two_columns_for_the_same_field_are_a_file_level_error() -> None:
    data = csv("Navn;Mottaker;Adresse;Postnr;Poststed;Virksomhet", "Kari;" + GOOD)

    result = read(data)

    assert [(p.row, p.code, p.params["headers"]) for p in result.problems] == [
        (None, "column_duplicate", "Navn, Mottaker")
    ]


def test_unknown_columns_get_one_warning_listing_them() -> None:
    data = csv(HEADER + ";Telefon;Merknad", GOOD + ";12345678;Ringer først")

    result = read(data)

    assert [(p.code, p.severity, p.params) for p in result.problems] == [
        ("columns_ignored", Severity.WARNING, {"headers": "Telefon, Merknad"})
    ]


def test_unknown_columns_do_not_stop_the_import() -> None:
    result = read(csv(HEADER + ";Telefon", GOOD + ";12345678"))

    assert (result.ok, len(result.rows)) == (True, 1)


def test_identity_number_column_gets_its_own_warning() -> None:
    data = csv("Fødselsnummer;" + HEADER + ";Telefon", "01017012345;" + GOOD + ";12345678")

    result = read(data)

    assert [(p.code, p.params) for p in result.problems] == [
        (
            "columns_ignored_identity_number",
            {"headers": "Fødselsnummer, Telefon", "identity_headers": "Fødselsnummer"},
        )
    ]


@pytest.mark.parametrize("heading", ["Fnr", "F.nr.", "Personnummer", "SSN", "National ID"])
def test_other_identity_number_headings_are_recognised(heading: str) -> None:
    result = read(csv(f"{heading};{HEADER}", "01017012345;" + GOOD))

    assert only_problem(result).code == "columns_ignored_identity_number"


def test_identity_numbers_appear_nowhere_in_the_result() -> None:
    data = csv(
        "Fødselsnummer;" + FULL_HEADER,
        "01017012345;Kari Nordmann;Storgata 1;3045;Drammen;BBS;;;",
        "02028054321;Per Hansen;Storgata 2;30A5;Drammen;BBS;;;",
        "03039011111;;;;;;;;",
    )

    result = read(data)

    assert not re.search(r"01017012345|02028054321|03039011111", repr(result))


def test_identity_number_in_a_name_is_an_error_that_does_not_show_it() -> None:
    result = read(csv(HEADER, "Kari Nordmann 010170 12345;Storgata 1;3045;Drammen;BBS"))

    assert (codes(result), "12345" in repr(result.problems)) == (
        [(2, "identity_number_in_field")],
        False,
    )


def test_identity_number_in_a_shown_value_is_masked() -> None:
    result = read(csv(HEADER, "Kari Nordmann;Storgata 1;01017012345;Drammen;BBS"))

    assert only_problem(result).params == {"value": "•••••••••••"}


def test_columns_record_each_field_with_its_heading_as_written() -> None:
    result = read(csv(" Navn ;Adresse;Postnr.;Poststed;Virksomhet", GOOD))

    assert result.columns == {
        "name": "Navn",
        "street_address": "Adresse",
        "postal_code": "Postnr.",
        "place": "Poststed",
        "unit": "Virksomhet",
    }


# --- Row checks -----------------------------------------------------------------------------


def test_valid_row_is_read_with_defaults() -> None:
    result = read(csv(HEADER, GOOD))

    assert result.rows == [
        RecipientRow(
            row=2,
            name="Kari Nordmann",
            street_address="Storgata 1",
            postal_code="3045",
            place="Drammen",
            unit_id=1,
            service_type_id=None,
            language="nb",
            is_relative=False,
        )
    ]


def test_whitespace_is_trimmed_and_collapsed() -> None:
    data = csv(HEADER, "  Kari   Nordmann ; Storgata\u00a01 ; 30 45 ;  Drammen ; hjs-kon ")

    result = read(data)

    assert [(r.name, r.street_address, r.postal_code, r.place) for r in result.rows] == [
        ("Kari Nordmann", "Storgata 1", "3045", "Drammen")
    ]


def test_row_numbers_follow_the_spreadsheet_and_skip_nothing() -> None:
    data = csv(HEADER, GOOD, "", ";;;;", "Per Hansen;Storgata 2;3045;Drammen;NOPE")

    result = read(data)

    assert (codes(result), result.total_rows) == ([(5, "unit_unknown")], 2)


def test_blank_lines_before_the_header_keep_the_numbering() -> None:
    result = read(csv("", ";;;;", HEADER, GOOD))

    assert [r.row for r in result.rows] == [4]


def test_name_missing() -> None:
    result = read(csv(HEADER, GOOD, ";Storgata 2;3045;Drammen;BBS"))

    assert [(p.row, p.column, p.code) for p in result.problems] == [(3, "Navn", "name_missing")]


def test_name_missing_when_first_and_last_name_are_blank() -> None:
    data = csv("Fornavn;Etternavn;Adresse;Postnr;Poststed;Virksomhet", ";;Storgata 2;3045;X;BBS")

    result = read(data)

    assert [(p.row, p.column, p.code) for p in result.problems] == [(2, "Fornavn", "name_missing")]


def test_name_too_long() -> None:
    result = read(csv(HEADER, GOOD, "x" * 201 + ";Storgata 2;3045;Drammen;BBS"))

    assert [(p.row, p.code, p.params) for p in result.problems] == [
        (3, "name_too_long", {"length": 201, "max": 200})
    ]


def test_name_of_200_characters_is_accepted() -> None:
    result = read(csv(HEADER, "x" * 200 + ";Storgata 2;3045;Drammen;BBS"))

    assert result.ok


def test_street_address_missing() -> None:
    result = read(
        csv(HEADER, GOOD, "Ola Hansen;Gata 3;3045;Drammen;BBS", "Per Hansen;;3045;Drammen;BBS")
    )

    assert [(p.row, p.column, p.code) for p in result.problems] == [
        (4, "Adresse", "street_address_missing")
    ]


def test_street_address_too_long() -> None:
    result = read(csv(HEADER, "Per Hansen;" + "x" * 151 + ";3045;Drammen;BBS"))

    assert [(p.row, p.code, p.params) for p in result.problems] == [
        (2, "street_address_too_long", {"length": 151, "max": 150})
    ]


def test_postal_code_missing() -> None:
    result = read(csv(HEADER, "Per Hansen;Storgata 2;;Drammen;BBS"))

    assert [(p.row, p.column, p.code) for p in result.problems] == [
        (2, "Postnr", "postal_code_missing")
    ]


def test_postal_code_malformed_reports_the_value() -> None:
    result = read(csv(HEADER, GOOD, "Per Hansen;Storgata 2;30A0;Drammen;BBS"))

    assert [(p.row, p.column, p.code, p.params) for p in result.problems] == [
        (3, "Postnr", "postal_code_malformed", {"value": "30A0"})
    ]


def test_postal_code_of_five_digits_is_malformed() -> None:
    result = read(csv(HEADER, "Per Hansen;Storgata 2;30450;Drammen;BBS"))

    assert codes(result) == [(2, "postal_code_malformed")]


def test_csv_postal_code_of_three_digits_is_zero_padded() -> None:
    result = read(csv(HEADER, "Kari Nordmann;Karl Johans gate 1;150;Oslo;BBS"))

    assert [r.postal_code for r in result.rows] == ["0150"]


def test_postal_code_with_spaces_is_accepted() -> None:
    result = read(csv(HEADER, "Kari Nordmann;Storgata 1; 30 45 ;Drammen;BBS"))

    assert [r.postal_code for r in result.rows] == ["3045"]


def test_place_missing() -> None:
    result = read(csv(HEADER, "Per Hansen;Storgata 2;3045;;BBS"))

    assert [(p.row, p.column, p.code) for p in result.problems] == [
        (2, "Poststed", "place_missing")
    ]


def test_place_too_long() -> None:
    result = read(csv(HEADER, "Per Hansen;Storgata 2;3045;" + "x" * 101 + ";BBS"))

    assert [(p.row, p.code, p.params) for p in result.problems] == [
        (2, "place_too_long", {"length": 101, "max": 100})
    ]


def test_unit_missing() -> None:
    result = read(csv(HEADER, "Per Hansen;Storgata 2;3045;Drammen;"))

    assert [(p.row, p.column, p.code) for p in result.problems] == [
        (2, "Virksomhet", "unit_missing")
    ]


def test_unit_not_in_the_round() -> None:
    result = read(csv(HEADER, GOOD, "Per Hansen;Storgata 2;3045;Drammen;Fjell sykehjem"))

    assert [(p.row, p.column, p.code, p.params) for p in result.problems] == [
        (3, "Virksomhet", "unit_unknown", {"value": "Fjell sykehjem"})
    ]


def test_unit_matched_by_code_case_insensitively() -> None:
    result = read(csv(HEADER, "Kari Nordmann;Storgata 1;3045;Drammen;hjs-kon"))

    assert [r.unit_id for r in result.rows] == [1]


def test_unit_matched_by_name_case_insensitively() -> None:
    result = read(
        csv(HEADER, "Kari Nordmann;Storgata 1;3045;Drammen;BRAGERNES  BO- OG SERVICESENTER")
    )

    assert [r.unit_id for r in result.rows] == [2]


def test_every_problem_in_a_row_is_reported() -> None:
    result = read(csv(HEADER, ";;12;;"))

    assert codes(result) == [
        (2, "name_missing"),
        (2, "street_address_missing"),
        (2, "place_missing"),
        (2, "unit_missing"),
    ]


# --- Services -------------------------------------------------------------------------------


def test_blank_service_is_none() -> None:
    result = read(csv(FULL_HEADER, GOOD + ";;;"))

    assert [r.service_type_id for r in result.rows] == [None]


def test_service_matched_by_code_or_name_case_insensitively() -> None:
    data = csv(
        FULL_HEADER,
        GOOD + ";home_nursing;;",
        "Per Hansen;Gata 2;3045;Drammen;HJS-KON;TRYGGHETSALARM;;",
    )

    result = read(data)

    assert [r.service_type_id for r in result.rows] == [10, 11]


def test_unknown_service() -> None:
    result = read(csv(FULL_HEADER, GOOD + ";Fotpleie;;"))

    assert [(p.row, p.column, p.code, p.params) for p in result.problems] == [
        (2, "Tjeneste", "service_unknown", {"value": "Fotpleie"})
    ]


def test_service_the_unit_does_not_deliver() -> None:
    result = read(csv(FULL_HEADER, GOOD + ";Dagsenter;;"))

    assert [(p.row, p.column, p.code, p.params) for p in result.problems] == [
        (
            2,
            "Tjeneste",
            "service_not_delivered",
            {"value": "Dagsenter", "unit": "Hjemmetjenesten Konnerud"},
        )
    ]


# --- Language and relatives -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "language"),
    [
        ("", "nb"),
        ("nb", "nb"),
        ("NOB", "nb"),
        ("no", "nb"),
        ("Bokmål", "nb"),
        ("bokmal", "nb"),
        ("Norsk", "nb"),
        ("Norwegian", "nb"),
        ("Norsk bokmål", "nb"),
        ("nn", "nn"),
        ("nno", "nn"),
        ("Nynorsk", "nn"),
        ("norsk nynorsk", "nn"),
        ("en", "en"),
        ("ENG", "en"),
        ("Engelsk", "en"),
        ("English", "en"),
    ],
)
def test_language_values(value: str, language: str) -> None:
    result = read(csv(FULL_HEADER, f"{GOOD};;{value};"))

    assert [r.language for r in result.rows] == [language]


def test_unknown_language_is_an_error_with_the_value() -> None:
    result = read(csv(FULL_HEADER, GOOD + ";;samisk;"))

    assert [(p.row, p.column, p.code, p.params) for p in result.problems] == [
        (2, "Språk", "language_unknown", {"value": "samisk"})
    ]


@pytest.mark.parametrize(
    ("value", "is_relative"),
    [
        ("", False),
        ("nei", False),
        ("N", False),
        ("no", False),
        ("0", False),
        ("false", False),
        ("usann", False),
        ("Ja", True),
        ("j", True),
        ("YES", True),
        ("y", True),
        ("1", True),
        ("x", True),
        ("True", True),
        ("sann", True),
    ],
)
def test_relative_flags(value: str, is_relative: bool) -> None:
    result = read(csv(FULL_HEADER, f"{GOOD};;;{value}"))

    assert [r.is_relative for r in result.rows] == [is_relative]


def test_relative_flag_from_an_xlsx_boolean_cell() -> None:
    data = xlsx(
        ["Navn", "Adresse", "Postnr", "Poststed", "Virksomhet", "Pårørende"],
        ["Kari Nordmann", "Storgata 1", 3045, "Drammen", "BBS", True],
    )

    result = read(data)

    assert [r.is_relative for r in result.rows] == [True]


def test_no_relative_column_means_not_a_relative() -> None:
    result = read(csv(HEADER, GOOD), allow_relatives=False)

    assert [r.is_relative for r in result.rows] == [False]


def test_unknown_relative_flag_is_an_error() -> None:
    result = read(csv(FULL_HEADER, GOOD + ";;;kanskje"))

    assert [(p.row, p.column, p.code, p.params) for p in result.problems] == [
        (2, "Pårørende", "relative_unknown", {"value": "kanskje"})
    ]


def test_relative_refused_when_the_round_has_no_relatives_survey() -> None:
    result = read(
        csv(FULL_HEADER, GOOD + ";;;nei", "Per Hansen;Storgata 2;3045;Drammen;BBS;;;ja"),
        allow_relatives=False,
    )

    assert [(p.row, p.column, p.code) for p in result.problems] == [
        (3, "Pårørende", "relatives_not_in_round")
    ]


# --- Duplicates and recipients already in the round -----------------------------------------


def test_duplicate_is_merged_with_a_warning_naming_the_first_row() -> None:
    data = csv(HEADER, GOOD, "Per Hansen;Storgata 2;3045;Drammen;BBS", GOOD)

    result = read(data)

    assert [(p.row, p.code, p.severity, p.params) for p in result.problems] == [
        (4, "duplicate_merged", Severity.WARNING, {"first_row": 2})
    ]


def test_duplicate_keeps_the_first_row() -> None:
    data = csv(FULL_HEADER, GOOD + ";;nn;", "KARI  NORDMANN;storgata 1.;3045;Drammen;HJS-KON;;en;")

    result = read(data)

    assert [(r.row, r.language) for r in result.rows] == [(2, "nn")]


def test_same_person_at_another_unit_is_not_a_duplicate() -> None:
    result = read(csv(HEADER, GOOD, "Kari Nordmann;Storgata 1;3045;Drammen;BBS"))

    assert [r.unit_id for r in result.rows] == [1, 2]


def test_invalid_row_is_not_a_first_row_for_duplicates() -> None:
    data = csv(FULL_HEADER, GOOD + ";;samisk;", GOOD + ";;;")

    result = read(data)

    assert ([r.row for r in result.rows], codes(result)) == ([3], [(2, "language_unknown")])


def test_identity_ignores_case_spacing_and_punctuation() -> None:
    assert identity("Kari Nordmann", "Storgata 1 B", "3045", 1) == identity(
        " KARI  nordmann ", "Storgata 1b.", "30 45", 1
    )


def test_identity_tells_units_apart() -> None:
    assert identity("Kari", "Gata 1", "3045", 1) != identity("Kari", "Gata 1", "3045", 2)


def test_known_identity_is_skipped_with_a_warning() -> None:
    known = {identity("Kari Nordmann", "Storgata 1", "3045", 1)}

    result = read(csv(HEADER, GOOD, "Per Hansen;Storgata 2;3045;Drammen;BBS"), known=known)

    assert ([r.row for r in result.rows], codes(result)) == ([3], [(2, "already_in_round")])


# --- The result -----------------------------------------------------------------------------


def test_problems_are_sorted_file_level_first_then_by_row() -> None:
    data = csv(HEADER + ";Telefon", ";Gata;3045;Drammen;BBS;1", GOOD + ";2", GOOD + ";3")

    result = read(data)

    assert codes(result) == [
        (None, "columns_ignored"),
        (2, "name_missing"),
        (4, "duplicate_merged"),
    ]


def test_errors_warnings_and_invalid_rows() -> None:
    data = csv(HEADER, GOOD, GOOD, "Per;Gata;30A0;Drammen;BBS", "Per;;3045;Drammen;NOPE")

    result = read(data)

    assert (
        [p.code for p in result.warnings],
        len(result.errors),
        result.invalid_rows,
        result.ok,
    ) == (["duplicate_merged"], 3, {4, 5}, False)


def test_clean_file_is_ok() -> None:
    result = read(csv(HEADER, GOOD))

    assert (result.ok, result.errors, result.warnings, result.invalid_rows) == (True, [], [], set())


def test_every_row_problem_message_fills_in_from_its_params() -> None:
    data = csv(
        "Fødselsnummer;" + FULL_HEADER,
        "x;;;30A0;;NOPE;Fotpleie;samisk;kanskje",
        "x;Kari;Gata;3045;Drammen;HJS-KON;Dagsenter;;ja",
        "x;" + "k" * 201 + ";" + "g" * 151 + ";3045;" + "d" * 101 + ";BBS;;;",
        "x;Kari 01017012345;Gata;3045;Drammen;BBS;;;",
        "x;Kari;Gata;3045;Drammen;BBS;;;",
        "x;Kari;Gata;3045;Drammen;BBS;;;",
        "x;Per;;;;;;;",
        "x;Ola;Gata;3045;Drammen;BBS;;;",
    )
    known = {identity("Ola", "Gata", "3045", 2)}

    result = read(data, allow_relatives=False, known=known)
    messages = [PROBLEM_CODES[p.code] % p.params for p in result.problems]

    assert (len(messages), {p.code for p in result.problems}) == (
        21,
        set(PROBLEM_CODES) - FILE_LEVEL_CODES | {"columns_ignored_identity_number"},
    )


FILE_LEVEL_CODES = {
    "xls_not_supported",
    "file_unreadable",
    "file_empty",
    "no_rows",
    "too_many_rows",
    "too_many_columns",
    "line_too_long",
    "xlsx_too_large",
    "xlsx_packed_too_tightly",
    "xlsx_too_complex",
    "headings_not_found",
    "title_rows_skipped",
    "column_missing",
    "column_duplicate",
    "columns_ignored",
    "columns_ignored_identity_number",
}


@pytest.mark.parametrize(
    "data",
    [
        b"\xd0\xcf\x11\xe0",
        b"PK\x03\x04",
        b"",
        b"Navn;Adresse;Postnr;Poststed;Virksomhet\n",
        b"Navn;Navn;Adresse;Poststed;Virksomhet;Telefon\nx;x;x;x;x;x\n",
    ],
)
def test_every_file_problem_message_fills_in_from_its_params(data: bytes) -> None:
    result = read(data)

    assert all(PROBLEM_CODES[p.code] % p.params for p in result.problems)


def test_file_level_codes_have_messages() -> None:
    assert FILE_LEVEL_CODES - set(PROBLEM_CODES) == set()


def test_normalise_label_casefolds_and_collapses_whitespace() -> None:
    assert normalise_label("  Hjemme\u00a0SYKEPLEIE \n Øst ") == "hjemme sykepleie øst"


# --- A title above the headings ----------------------------------------------------------

TITLE = "Mottakerliste Brukerundersøkelse 2026"
HEADINGS = ["Navn", "Adresse", "Postnr", "Poststed", "Virksomhet"]
RECIPIENT = ["Kari Nordmann", "Storgata 1", 3045, "Drammen", "BBS"]


def test_title_row_above_the_csv_headings_is_skipped() -> None:
    result = read(csv(TITLE, HEADER, GOOD))

    assert ([r.row for r in result.rows], result.errors) == ([3], [])


def test_title_row_above_the_xlsx_headings_is_skipped() -> None:
    result = read(xlsx([TITLE], [None], HEADINGS, RECIPIENT))

    assert ([r.row for r in result.rows], result.errors) == ([4], [])


def test_skipped_title_is_quoted_in_a_warning_naming_the_heading_row() -> None:
    result = read(csv(TITLE, HEADER, GOOD))

    assert [(p.code, p.severity, dict(p.params)) for p in result.problems] == [
        ("title_rows_skipped", Severity.WARNING, {"row": 2, "text": TITLE})
    ]


def test_several_title_rows_are_skipped_and_quoted_together() -> None:
    data = xlsx(["Drammen kommune"], ["Utskrift 03.10.2026", None, "side 1"], HEADINGS, RECIPIENT)

    result = read(data)

    assert (only_problem(result).params["text"], [r.row for r in result.rows]) == (
        "Drammen kommune / Utskrift 03.10.2026 | side 1",
        [4],
    )


def test_commas_in_a_title_do_not_make_a_semicolon_file_comma_separated() -> None:
    result = read(csv("Mottakerliste, Drammen kommune, oktober 2026", HEADER, GOOD))

    assert [r.postal_code for r in result.rows] == ["3045"]


def test_title_filled_out_with_empty_cells_as_excel_saves_it() -> None:
    result = read(csv(TITLE + ";;;;", HEADER, GOOD))

    assert [r.name for r in result.rows] == ["Kari Nordmann"]


def test_identity_number_in_a_title_is_not_shown() -> None:
    result = read(csv("Liste over mottakere, 01017012345", HEADER, GOOD))

    assert "01017012345" not in str(only_problem(result).params["text"])


def test_headings_further_down_than_the_first_ten_rows_are_not_found() -> None:
    titles = [f"Merknad {n}" for n in range(1, 11)]

    result = read(csv(*titles, HEADER, GOOD))

    assert [(p.code, p.params["text"]) for p in result.problems] == [
        ("headings_not_found", "Merknad 1")
    ]


def test_file_without_headings_says_so_and_quotes_its_first_row() -> None:
    result = read(csv(GOOD, "Per Hansen;Storgata 2;3045;Drammen;BBS"))

    assert [(p.code, dict(p.params)) for p in result.problems] == [
        (
            "headings_not_found",
            {"rows": 10, "text": "Kari Nordmann | Storgata 1 | 3045 | Drammen | HJS-KON"},
        )
    ]


def test_first_row_with_a_known_heading_or_two_is_taken_for_the_headings() -> None:
    # Too few headings to be sure, but not a title: say which columns are missing.
    result = read(csv("Navn;Adr.;Sted", "Kari Nordmann;Storgata 1;Drammen"))

    assert {p.code for p in result.problems} == {"column_missing", "columns_ignored"}


# --- What a file may hold ------------------------------------------------------------------


def test_csv_line_longer_than_the_limit_is_refused_with_its_row() -> None:
    result = read(csv(HEADER, GOOD, "x;" * 50_001))

    assert (codes(result), only_problem(result).params) == (
        [(None, "line_too_long")],
        {"row": 3, "max": 100_000},
    )


def test_csv_line_of_the_limit_is_read() -> None:
    line = GOOD + ";" + "x" * (100_000 - len(GOOD) - 3)

    result = read(csv(HEADER, line))

    assert [r.name for r in result.rows] == ["Kari Nordmann"]


def test_quotation_mark_never_closed_is_refused_at_its_row() -> None:
    rows = [f"Person {i};Gate {i};3045;Drammen;BBS" for i in range(5000)]

    result = read(csv(HEADER, GOOD, '"Per Hansen;Storgata 2;3045;Drammen;BBS', *rows))

    assert (codes(result), only_problem(result).params["row"]) == ([(None, "line_too_long")], 3)


def test_more_heading_columns_than_the_limit_are_refused() -> None:
    header = HEADER + "".join(f";Merknad {n}" for n in range(196))

    result = read(csv(header, GOOD))

    assert (codes(result), only_problem(result).params) == (
        [(None, "too_many_columns")],
        {"max": 200},
    )


def test_heading_columns_up_to_the_limit_are_read() -> None:
    header = HEADER + "".join(f";Merknad {n}" for n in range(195))

    result = read(csv(header, GOOD))

    assert ([r.name for r in result.rows], result.errors) == (["Kari Nordmann"], [])


def test_cells_beyond_the_last_heading_are_ignored() -> None:
    result = read(csv(HEADER, GOOD + ";" * 500 + "ekstra"))

    assert ([r.place for r in result.rows], result.problems) == (["Drammen"], [])


def test_xlsx_cell_beyond_the_column_limit_is_refused() -> None:
    workbook = Workbook()
    sheet = cast(Worksheet, workbook.active)  # a new workbook's one sheet
    sheet.append(HEADINGS)
    sheet.append(RECIPIENT)
    sheet.cell(row=2, column=201, value="x")
    buffer = BytesIO()
    workbook.save(buffer)

    result = read(buffer.getvalue())

    assert codes(result) == [(None, "too_many_columns")]


# --- Progress and size ----------------------------------------------------------------------


def test_progress_ends_with_total_of_total() -> None:
    calls: list[tuple[int, int]] = []

    read(
        csv(HEADER, GOOD, "Per Hansen;Storgata 2;3045;Drammen;BBS"),
        progress=lambda d, t: calls.append((d, t)),
    )

    assert calls == [(2, 2)]


def test_progress_is_reported_every_500_rows() -> None:
    rows = [f"Person {i};Gate {i};3045;Drammen;BBS" for i in range(1200)]
    calls: list[tuple[int, int]] = []

    read(csv(HEADER, *rows), progress=lambda d, t: calls.append((d, t)))

    assert calls == [(500, 1200), (1000, 1200), (1200, 1200)]


def test_twenty_thousand_rows_parse() -> None:
    rows = [f"Person {i};Gate {i};{i % 9000 + 1000};Drammen;BBS;;;" for i in range(20_000)]

    result = read(csv(FULL_HEADER, *rows))

    assert (result.total_rows, len(result.rows), result.problems) == (20_000, 20_000, [])


def test_list_of_twenty_thousand_recipients_in_excel_is_read() -> None:
    # An honest file of the size a large municipality exports: no limit stands in its way.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADINGS + ["Telefon"])
    for i in range(20_000):
        sheet.append([f"Person {i}", f"Gate {i}", 3000 + i % 100, "Drammen", "BBS", f"9{i:07d}"])
    buffer = BytesIO()
    workbook.save(buffer)

    result = read(buffer.getvalue())

    assert (len(result.rows), result.errors) == (20_000, [])


# --- Files made to exhaust memory -------------------------------------------------------------
#
# Each file is read in a child process that reports how far its peak resident memory
# (ru_maxrss) rose while reading, so what the zip library and the XML parser allocate in C
# counts too. The bound is what matters, not the time.

ROOT = Path(__file__).resolve().parents[2]
MEASURE = """
import io, json, sys, zipfile
import openpyxl.reader.excel  # loaded before measuring: importing it is not the file's doing
from medvirk.surveys.recipient_file import read_recipients

def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(field)

def peak():
    return status("VmHWM")

data = open(sys.argv[2], "rb").read()
# Start the high-water mark from what is resident now (Linux: "5" resets VmHWM), so that an
# earlier peak of the imports cannot hide the file's own.
with open("/proc/self/clear_refs", "w") as reset:
    reset.write("5")
before = status("VmRSS")
if sys.argv[1] == "import":
    problems = read_recipients(data, units=(), allow_relatives=False).problems
    found = sorted({p.code for p in problems})
else:  # unpack the sheet in one go, as no reader should
    found = [len(zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml"))]
print(json.dumps({"mib": (peak() - before) / 2**20, "found": found}))
"""
BOUND_MIB = 50


def measured(tmp_path: Path, data: bytes, how: str = "import") -> tuple[float, list[object]]:
    path = tmp_path / "upload"
    path.write_bytes(data)
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, how, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    report = json.loads(result.stdout)
    return report["mib"], report["found"]


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """An XLSX of 600 KB whose sheet unpacks to 300 MB of one cell repeated."""
    return workbooks.workbook(
        workbooks.sheet(workbooks.repeated(workbooks.row("Kari Nordmann " * 2000), 300))
    )


def test_zip_bomb_is_refused_in_bounded_memory(tmp_path: Path, zip_bomb: bytes) -> None:
    mib, found = measured(tmp_path, zip_bomb)

    assert (found, mib < BOUND_MIB) == (["xlsx_too_large"], True), mib


def test_unpacking_the_zip_bomb_is_what_the_measure_would_catch(
    tmp_path: Path, zip_bomb: bytes
) -> None:
    # The positive control: the same measure sees the 300 MB when the sheet is unpacked
    # (at least the bytes themselves; more when the zip library copies them on the way).
    mib, found = measured(tmp_path, zip_bomb, how="unpack")

    assert (mib > 4 * BOUND_MIB, int(str(found[0])) > 250 * 2**20) == (True, True), mib


def test_zip_bomb_lying_about_its_size_is_refused_in_bounded_memory(
    tmp_path: Path, zip_bomb: bytes
) -> None:
    liar = workbooks.declaring(zip_bomb, "xl/worksheets/sheet1.xml", file_size=50_000)

    mib, found = measured(tmp_path, liar)

    assert (found, mib < BOUND_MIB) == (["file_unreadable"], True), mib


def test_empty_rows_stored_without_packing_are_refused_in_bounded_memory(tmp_path: Path) -> None:
    # 20 MB, the upload limit, of "<row/>": no zip bomb, and yet 300 MB to openpyxl.
    data = workbooks.workbook(
        workbooks.sheet(workbooks.repeated(b"<row/>", 20)), compression=zipfile.ZIP_STORED
    )

    mib, found = measured(tmp_path, data)

    assert (found, mib < BOUND_MIB) == (["xlsx_too_complex"], True), mib


def test_csv_line_of_twenty_megabytes_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    # One row of 20 million empty cells; the file's own 20 MB of text is the bound here.
    data = csv(HEADER, "x" + ";" * (20 * 2**20))

    mib, found = measured(tmp_path, data)

    assert (found, mib < BOUND_MIB + 20) == (["line_too_long"], True), mib
