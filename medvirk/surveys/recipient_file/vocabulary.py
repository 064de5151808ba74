"""What a recipient file may say: the headings Medvirk knows, the values of the
language and relative columns, and the problems it reports (English templates)."""

from __future__ import annotations

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
