"""The councils' management commands, which call the same services as the pages."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from medvirk.councils.models import Council

from .conftest import approved


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_create_councils_gives_every_active_unit_one(world, council):
    output = run("create_councils", "--municipality", "alpha")

    assert Council.objects.filter(unit__service_area__municipality=world.alpha).count() == 3
    assert "2 brukerråd opprettet." in output


def test_council_warnings_lists_terms_about_to_end(world, council, members):
    output = run("council_warnings", "--municipality", "alpha", "--date", "01.11.2027")

    assert "Brukerrådet ved Nord sykehjem" in output
    assert "Valgperioden til Kari Leder slutter 31.12.2027." in output
    assert "Ingen møteplan for 2027." in output


def test_council_warnings_refuses_a_date_it_cannot_read(world):
    with pytest.raises(CommandError):
        run("council_warnings", "--municipality", "alpha", "--date", "2027-11-01")


def test_the_annual_reports_are_written_as_pdf_files(world, meeting, tmp_path):
    approved(meeting)

    output = run(
        "council_annual_report", "2026", "--municipality", "alpha", "--output", str(tmp_path)
    )

    assert (tmp_path / "arsrapport-brukerrad-05-2026.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "arsrapport-n-shj-2026.pdf").is_file()
    assert "arsrapport-n-shj-2026.pdf" in output


def test_the_annual_report_of_an_unknown_unit_is_refused(world, council, tmp_path):
    with pytest.raises(CommandError):
        run("council_annual_report", "2026", "--municipality", "alpha", "--unit", "nope")
