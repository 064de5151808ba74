"""``compute_results``, ``publish_results`` and ``export_results``, run as an operator would.

Commands speak bokmål. Translations are still being written, so where the tests compare a
sentence they take it from the catalogue as it is (as tests/letters/test_commands.py does).
"""

from __future__ import annotations

import csv
import io
import sys
import types
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils.translation import gettext
from openpyxl import load_workbook
from pypdf import PdfReader

from medvirk.organisation.models import AuditEntry
from medvirk.results.management.commands.export_results import SITE_MODULE
from medvirk.results.models import ResultSet
from medvirk.surveys.models import Round

from .conftest import Answered, add_responses, answers, open_round


def run(*args: str) -> str:
    """Run a command; what it printed on stdout."""
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def refused(*args: str) -> str:
    """Run a command that must fail; its error message."""
    with pytest.raises(CommandError) as exc:
        call_command(*args, stdout=StringIO(), stderr=StringIO())
    return str(exc.value)


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def csv_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig")), delimiter=";"))


def export(answered: Answered, out: Path, kind: str, *more: str) -> str:
    return run("export_results", str(answered.round.pk), "--format", kind, "--out", str(out), *more)


@pytest.fixture
def still_open(world, questionnaires) -> Round:
    round_ = open_round(world, questionnaires, name="Brukerundersøkelse 2026", days_ago=5)
    add_responses(round_, world.loose_unit, [answers("4")] * 5)
    return round_


@pytest.fixture
def without_site_module(monkeypatch):
    """As if the public pages' static_export.py were not there (None stops the import)."""
    monkeypatch.setitem(sys.modules, SITE_MODULE, None)


# --- compute_results ----------------------------------------------------------------------


def test_compute_results_prints_responses_groups_not_shown_and_state(answered_round: Round):
    printed = run("compute_results", str(answered_round.pk))

    assert gettext("Responses: %(n)s") % {"n": 15} in printed
    # Users and relatives: the area, Nord and three units each; two units not shown.
    assert (
        gettext("Groups: %(groups)s, of them not shown: %(suppressed)s")
        % {
            "groups": 10,
            "suppressed": 2,
        }
        in printed
    )
    assert gettext("State: %(state)s") % {"state": ResultSet.State.READY.label} in printed


def test_compute_results_stores_the_results(answered_round: Round):
    run("compute_results", str(answered_round.pk))

    assert ResultSet.objects.get(round=answered_round).responses == 15


def test_compute_results_refuses_an_unknown_round(db):
    message = refused("compute_results", "999999")

    assert message == gettext("There is no round %(pk)s. list_rounds shows the rounds.") % {
        "pk": 999999
    }


# --- publish_results ----------------------------------------------------------------------


def test_publish_results_publishes_them(answered: Answered):
    run("publish_results", str(answered.round.pk))

    assert ResultSet.objects.get().state == ResultSet.State.PUBLISHED


def test_publish_results_withdraws_them_again(answered: Answered):
    run("publish_results", str(answered.round.pk))

    run("publish_results", str(answered.round.pk), "--withdraw")

    assert ResultSet.objects.get().state == ResultSet.State.WITHDRAWN


def test_publish_results_refuses_preliminary_results_and_says_what_to_do(still_open: Round):
    run("compute_results", str(still_open.pk))

    message = refused("publish_results", str(still_open.pk))

    assert f"close_round {still_open.pk}" in message
    assert ResultSet.objects.get().state == ResultSet.State.PRELIMINARY


def test_publish_results_refuses_a_round_without_results(answered_round: Round):
    message = refused("publish_results", str(answered_round.pk))

    assert f"compute_results {answered_round.pk}" in message


def test_publish_results_refuses_to_publish_twice(answered: Answered):
    run("publish_results", str(answered.round.pk))

    message = refused("publish_results", str(answered.round.pk))

    assert message == gettext("These results are published already.")


# --- export_results -----------------------------------------------------------------------


def test_the_commands_work_end_to_end(answered_round: Round, tmp_path: Path):
    pk = str(answered_round.pk)

    run("compute_results", pk)
    run("publish_results", pk)
    run("export_results", pk, "--format", "xlsx", "--out", str(tmp_path / "r.xlsx"))
    run("export_results", pk, "--format", "csv", "--out", str(tmp_path / "r.csv"))
    run("export_results", pk, "--format", "pdf", "--out", str(tmp_path / "r.pdf"))
    run("export_results", pk, "--format", "pdf", "--unit", "hh", "--out", str(tmp_path / "hh.pdf"))
    run("export_results", pk, "--format", "html", "--out", str(tmp_path / "site"))

    assert gettext("Overview") in load_workbook(tmp_path / "r.xlsx").sheetnames
    assert len(csv_rows(tmp_path / "r.csv")) == 15
    assert "Helse, sosial og omsorg" in pdf_text(tmp_path / "r.pdf")
    assert "Helsehuset" in pdf_text(tmp_path / "hh.pdf")
    assert (tmp_path / "site" / "index.html").exists()


def test_export_writes_the_workbook(answered: Answered, tmp_path: Path):
    export(answered, tmp_path / "r.xlsx", "xlsx")

    assert "Helsehuset" in [
        cell.value for cell in load_workbook(tmp_path / "r.xlsx")[gettext("Overview")]["C"]
    ]


def test_export_writes_the_anonymised_answers_without_suppressed_codes(
    answered: Answered, tmp_path: Path
):
    export(answered, tmp_path / "svar.csv", "csv")

    found = csv_rows(tmp_path / "svar.csv")
    assert len(found) == 15
    assert {row["group"] for row in found} == {"hh", "nord"}


def test_export_writes_a_units_report(answered: Answered, tmp_path: Path):
    export(answered, tmp_path / "hh.pdf", "pdf", "--unit", "hh")

    assert "Helsehuset" in pdf_text(tmp_path / "hh.pdf")


def test_export_writes_the_area_report(answered: Answered, tmp_path: Path):
    export(answered, tmp_path / "omraade.pdf", "pdf")

    assert "Nord hjemmetjeneste" in pdf_text(tmp_path / "omraade.pdf")


def test_export_records_the_file_in_the_audit_log(answered: Answered, tmp_path: Path):
    export(answered, tmp_path / "r.xlsx", "xlsx")

    entry = AuditEntry.objects.get(action="results.export")
    assert (entry.target_id, entry.changes) == (str(answered.round.pk), {"file": [None, "xlsx"]})


def test_export_html_hands_the_site_to_the_public_pages_module(
    answered: Answered, tmp_path: Path, monkeypatch
):
    called = []
    module = types.ModuleType(SITE_MODULE)
    module.__dict__["export_site"] = lambda result_set, out_dir: called.append(
        (result_set.pk, out_dir)
    )
    monkeypatch.setitem(sys.modules, SITE_MODULE, module)
    run("publish_results", str(answered.round.pk))

    export(answered, tmp_path / "site", "html")

    assert called == [(answered.result_set.pk, tmp_path / "site")]


def test_export_html_is_refused_without_the_public_pages_module(
    answered: Answered, tmp_path: Path, without_site_module
):
    message = refused(
        "export_results", str(answered.round.pk), "--format", "html", "--out", str(tmp_path)
    )

    assert message == gettext(
        "html export is provided by the public pages module, which is not installed here "
        "yet. Choose xlsx, csv or pdf."
    )


def test_export_refuses_an_unknown_format(answered: Answered, tmp_path: Path):
    message = refused(
        "export_results",
        str(answered.round.pk),
        "--format",
        "docx",
        "--out",
        str(tmp_path / "r.docx"),
    )

    assert message == gettext("Unknown format %(format)s. Choose xlsx, csv, html or pdf.") % {
        "format": "docx"
    }


def test_export_refuses_an_unknown_unit_code(answered: Answered, tmp_path: Path):
    message = refused(
        "export_results",
        str(answered.round.pk),
        "--format",
        "pdf",
        "--unit",
        "finnes-ikke",
        "--out",
        str(tmp_path / "r.pdf"),
    )

    assert message == gettext(
        "Round %(pk)s has no unit with the code %(code)s. Its units: %(codes)s."
    ) % {"pk": answered.round.pk, "code": "finnes-ikke", "codes": "hh, n-hjt, n-shj"}


def test_export_refuses_a_report_of_a_suppressed_unit(answered: Answered, tmp_path: Path):
    out = tmp_path / "r.pdf"

    message = refused(
        "export_results",
        str(answered.round.pk),
        "--format",
        "pdf",
        "--unit",
        "n-hjt",
        "--out",
        str(out),
    )

    assert "Nord hjemmetjeneste" in message
    assert not out.exists()


def test_export_refuses_a_round_without_results(answered_round: Round, tmp_path: Path):
    message = refused(
        "export_results",
        str(answered_round.pk),
        "--format",
        "xlsx",
        "--out",
        str(tmp_path / "r.xlsx"),
    )

    assert f"compute_results {answered_round.pk}" in message


def test_export_refuses_a_file_name_that_does_not_match_the_format(
    answered: Answered, tmp_path: Path
):
    message = refused(
        "export_results",
        str(answered.round.pk),
        "--format",
        "xlsx",
        "--out",
        str(tmp_path / "r.csv"),
    )

    assert message == gettext(
        "Give the file a name ending in .%(format)s, e.g. resultater.%(format)s."
    ) % {"format": "xlsx"}


def test_export_refuses_unknown_respondents(answered: Answered, tmp_path: Path):
    message = refused(
        "export_results",
        str(answered.round.pk),
        "--format",
        "csv",
        "--audience",
        "naboer",
        "--out",
        str(tmp_path / "r.csv"),
    )

    assert message == gettext("Unknown respondents %(audience)s. Choose users or relatives.") % {
        "audience": "naboer"
    }


def test_export_html_is_refused_for_results_not_published(answered: Answered, tmp_path: Path):
    message = refused(
        "export_results", str(answered.round.pk), "--format", "html", "--out", str(tmp_path)
    )

    assert f"publish_results {answered.round.pk}" in message
