"""Import reports: the data-quality report of a recipient file, in the reader's language.

``recipient_file`` reports problems as codes with values; the messages live here, through
gettext, so the command line, the status page and every language say the same thing. A
test keeps this list and ``recipient_file.PROBLEM_CODES`` in step
(tests/surveys/test_bad_input.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .models import Round
from .recipient_file import Problem, Severity
from .services import ImportReport

# Shown on the status page; the command prints them all.
MAX_PROBLEMS_SHOWN = 500

PROBLEM_MESSAGES: dict[str, Promise] = {
    "xls_not_supported": _(
        "This is an old Excel file (.xls) or a password-protected file. Open it in Excel,"
        " save it as .xlsx or CSV without a password, and import that file."
    ),
    "file_unreadable": _(
        "The file could not be read as CSV or Excel (.xlsx). Save the list as .xlsx or "
        "CSV and import that file."
    ),
    "file_empty": _("The file is empty. Export the recipient list again and import that file."),
    "no_rows": _("The file has headings but no recipients. Export the list again with its rows."),
    "too_many_rows": _(
        "The file has more than %(max)s rows. Split it into smaller files and import them"
        " one at a time."
    ),
    "too_many_columns": _(
        "The file has more than %(max)s columns. Delete the columns Medvirk does not use "
        "and import the file again."
    ),
    "line_too_long": _(
        'Row %(row)s is longer than %(max)s characters. A quotation mark (") that is never '
        "closed often causes this: correct the row, or save the list from Excel again, and "
        "import the file again."
    ),
    "xlsx_too_large": _(
        "This Excel file takes up %(size_mb)s MB when it is unpacked; Medvirk reads at most "
        "%(max_mb)s MB. Save the list as CSV in Excel, or split it into smaller files, and "
        "import them one at a time."
    ),
    "xlsx_packed_too_tightly": _(
        "This Excel file unpacks to %(ratio)s times its size, far more than a spreadsheet "
        "does, so Medvirk did not open it. Open it in Excel, save the list as CSV, and "
        "import that file."
    ),
    "xlsx_too_complex": _(
        "This Excel file holds far more rows, cells or formatting than a recipient list, so "
        "Medvirk did not open it. Copy the list into a new workbook, or save it as CSV, and "
        "import that file."
    ),
    "headings_not_found": _(
        "None of the first %(rows)s rows has the column headings. The first row reads "
        "“%(text)s”. Put the headings (for example Navn, Adresse, Postnr, Poststed, "
        "Virksomhet) in one row at the top and import the file again."
    ),
    "title_rows_skipped": _(
        "The headings are in row %(row)s; the rows above them were taken for a title and "
        "skipped: “%(text)s”."
    ),
    "column_missing": _(
        "A required column is missing. Add a column with one of these headings: %(headers)s."
    ),
    "column_duplicate": _(
        "The columns %(headers)s mean the same thing. Keep one of them and delete or "
        "rename the others."
    ),
    "columns_ignored": _("These columns are not used and were ignored: %(headers)s."),
    "columns_ignored_identity_number": _(
        "These columns are not used and were ignored: %(headers)s. National identity "
        "numbers (%(identity_headers)s) are never read or stored; leave them out of the "
        "export."
    ),
    "name_missing": _("The name is missing. Fill in the recipient's name."),
    "name_too_long": _("The name has %(length)s characters; at most %(max)s fit. Shorten it."),
    "street_address_missing": _(
        "The address is missing. Fill in the street address the letter should go to."
    ),
    "street_address_too_long": _(
        "The address has %(length)s characters; at most %(max)s fit. Shorten it."
    ),
    "postal_code_missing": _("The postal code is missing. Fill in the four-digit postal code."),
    "postal_code_malformed": _(
        "The postal code %(value)s is not four digits. Correct it (for example 0150)."
    ),
    "place_missing": _("The place (poststed) is missing. Fill it in."),
    "place_too_long": _("The place has %(length)s characters; at most %(max)s fit. Shorten it."),
    "identity_number_in_field": _(
        "This looks like a national identity number. Remove it: Medvirk never stores "
        "identity numbers."
    ),
    "unit_missing": _("The unit is missing. Fill in the unit's code or name."),
    "unit_unknown": _(
        "%(value)s is not a unit in this survey round. Write the unit's code or name as "
        "in Medvirk, or add the unit to the round."
    ),
    "service_unknown": _(
        "%(value)s is not a service in this survey round. Write the service's code or "
        "name as in Medvirk, or leave the cell empty."
    ),
    "service_not_delivered": _(
        "%(unit)s does not deliver the service %(value)s. Correct the unit or the "
        "service, or leave the service empty."
    ),
    "language_unknown": _(
        "The language %(value)s is not known. Write nb (bokmål), nn (nynorsk) or en "
        "(English), or leave the cell empty for bokmål."
    ),
    "relative_unknown": _(
        "%(value)s is not a yes or no. Write ja or nei, or leave the cell empty for nei."
    ),
    "relatives_not_in_round": _(
        "This round has no relatives survey, so the row cannot be a relative. Remove the "
        "row or write nei."
    ),
    "duplicate_merged": _(
        "The same person at the same unit as row %(first_row)s; merged with that row."
    ),
    "already_in_round": _("This person is already in the round at this unit; skipped."),
}


def problem_message(code: str, params: Mapping[str, Any]) -> str:
    template = PROBLEM_MESSAGES.get(code)
    if template is None:
        return code
    try:
        return str(template) % dict(params)
    except (KeyError, TypeError, ValueError):
        return str(template)


def _entry(problem: Problem) -> dict[str, Any]:
    return {
        "row": problem.row,
        "column": problem.column,
        "code": problem.code,
        "params": dict(problem.params),
        "severity": str(problem.severity),
    }


def import_report_json(report: ImportReport, *, round_: Round) -> dict[str, Any]:
    """What a background import keeps for its status page: counts and problem codes, never
    the rows themselves (they hold names and addresses)."""
    problems = report.parsed.problems
    return {
        "applied": report.applied,
        "imported": report.imported,
        "total_rows": report.parsed.total_rows,
        "error_count": len(report.parsed.errors),
        "warning_count": len(report.parsed.warnings),
        "problems": [_entry(p) for p in problems[:MAX_PROBLEMS_SHOWN]],
        "truncated": max(0, len(problems) - MAX_PROBLEMS_SHOWN),
        "round_url": round_.get_absolute_url(),
    }


def import_report_lines(report: ImportReport) -> list[str]:
    """The data-quality report as lines for the command line."""
    lines = []
    for problem in report.parsed.problems:
        where = (
            gettext("Row %(row)s") % {"row": problem.row}
            if problem.row is not None
            else gettext("File")
        )
        if problem.column:
            where += f" ({problem.column})"
        kind = gettext("error") if problem.severity == Severity.ERROR else gettext("warning")
        lines.append(f"{where}, {kind}: {problem_message(problem.code, problem.params)}")
    return lines


def import_outcome(report: ImportReport) -> str:
    parsed = report.parsed
    if report.applied:
        text = ngettext(
            "Imported %(n)s recipient.", "Imported %(n)s recipients.", report.imported
        ) % {"n": report.imported}
        if report.skipped_rows:
            text += " " + ngettext(
                "Skipped %(n)s invalid row.",
                "Skipped %(n)s invalid rows.",
                len(report.skipped_rows),
            ) % {"n": len(report.skipped_rows)}
        return text
    if parsed.errors:
        return ngettext(
            "Nothing was imported: %(n)s error. Correct the file, or use --skip-invalid to "
            "import the valid rows.",
            "Nothing was imported: %(n)s errors. Correct the file, or use --skip-invalid to "
            "import the valid rows.",
            len(parsed.errors),
        ) % {"n": len(parsed.errors)}
    return gettext("Nothing was imported: the file has no new recipients.")
