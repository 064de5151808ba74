"""``print_letters``: a round's letters to a PDF (or numbered PDFs) and the print shop's list,
through the same service as the staff pages.

Commands speak bokmål. Translations are still being written, so where the tests compare a
sentence they take it from the bokmål catalogue as it is.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext, ngettext

from medvirk.letters import services
from medvirk.letters.models import LetterKind
from medvirk.surveys.models import Recipient

from ..surveys.conftest import Survey
from .conftest import answer_all, code_forms, codes_in, found_in, page_texts, reader, window_lines


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


def bokmal(message: str, **values: object) -> str:
    with translation.override("nb"):
        return gettext(message) % values


def names_in(path: Path) -> list[str]:
    return [window_lines(page)[0] for page in reader(path).pages]


def test_the_letters_are_written_to_the_pdf(printable: Survey, tmp_path: Path):
    out = tmp_path / "brev.pdf"

    run("print_letters", str(printable.round.pk), "--out", str(out))

    assert sorted(codes_in(out)) == sorted(printable.codes.values())
    assert len(reader(out).pages) == 4


def test_the_letters_are_sorted_by_postal_code(printable: Survey, tmp_path: Path):
    out = tmp_path / "brev.pdf"

    run("print_letters", str(printable.round.pk), "--out", str(out))

    assert [window_lines(page)[-1][:4] for page in reader(out).pages] == [
        "3015",
        "3044",
        "3045",
        "3045",
    ]


def test_the_manifest_is_written_beside_the_pdf(printable: Survey, tmp_path: Path):
    run("print_letters", str(printable.round.pk), "--out", str(tmp_path / "brev.pdf"))

    assert (tmp_path / "brev.manifest.csv").read_text(encoding="utf-8") == (
        "bunke;postnummer;antall brev\n1;3015;1\n1;3044;1\n1;3045;2\n"
    )


def test_the_command_says_what_it_wrote(printable: Survey, tmp_path: Path):
    out = tmp_path / "brev.pdf"

    printed = run("print_letters", str(printable.round.pk), "--out", str(out))

    assert str(out) in printed
    assert str(tmp_path / "brev.manifest.csv") in printed


def test_the_command_prints_no_code(printable: Survey, tmp_path: Path):
    printed = run("print_letters", str(printable.round.pk), "--out", str(tmp_path / "brev.pdf"))

    assert found_in(printed, code_forms(printable.codes.values())) == []


def test_reminders_go_only_to_unused_codes_with_the_same_codes(printable: Survey, tmp_path: Path):
    answer_all(Client(HTTP_HOST="alpha.test"), printable, "Åse Ødegård")
    out = tmp_path / "paminnelse.pdf"

    run("print_letters", str(printable.round.pk), "--out", str(out), "--reminders")

    reminded = dict(zip(names_in(out), codes_in(out), strict=True))
    assert reminded == {n: c for n, c in printable.codes.items() if n != "Åse Ødegård"}
    assert all("Påminnelse om" in text for text in page_texts(out))


def test_units_are_chosen_by_their_codes(printable: Survey, tmp_path: Path):
    out = tmp_path / "brev.pdf"

    run("print_letters", str(printable.round.pk), "--out", str(out), "--units", "n-hjt")

    assert names_in(out) == ["Kari Hjemme"]


def test_several_units_can_be_chosen(printable: Survey, tmp_path: Path):
    out = tmp_path / "brev.pdf"

    run("print_letters", str(printable.round.pk), "--out", str(out), "--units", "n-hjt", "n-shj")

    assert len(reader(out).pages) == 4


def test_an_unknown_unit_code_is_refused_naming_it(printable: Survey, tmp_path: Path):
    out = tmp_path / "brev.pdf"

    message = refused(
        "print_letters", str(printable.round.pk), "--out", str(out), "--units", "n-hjt", "hh"
    )

    assert message == bokmal("These units are not in the round: %(codes)s.", codes="hh")
    assert not out.exists()


def test_a_batch_size_writes_numbered_files(printable: Survey, tmp_path: Path):
    out = tmp_path / "brev.pdf"

    run("print_letters", str(printable.round.pk), "--out", str(out), "--batch-size", "3")

    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "brev-001.pdf",
        "brev-002.pdf",
        "brev.manifest.csv",
    ]
    assert [len(reader(tmp_path / n).pages) for n in ["brev-001.pdf", "brev-002.pdf"]] == [3, 1]


def test_the_manifest_of_batches_counts_per_batch(printable: Survey, tmp_path: Path):
    run(
        "print_letters",
        str(printable.round.pk),
        "--out",
        str(tmp_path / "b.pdf"),
        "--batch-size",
        "3",
    )

    assert (tmp_path / "b.manifest.csv").read_text(encoding="utf-8").splitlines()[1:] == [
        "1;3015;1",
        "1;3044;1",
        "1;3045;1",
        "2;3045;1",
    ]


def test_a_batch_size_of_nothing_is_refused(printable: Survey, tmp_path: Path):
    message = refused(
        "print_letters",
        str(printable.round.pk),
        "--out",
        str(tmp_path / "b.pdf"),
        "--batch-size",
        "0",
    )

    assert message == bokmal("A batch holds at least one letter.")


def test_a_file_name_not_ending_in_pdf_is_refused(printable: Survey, tmp_path: Path):
    message = refused("print_letters", str(printable.round.pk), "--out", str(tmp_path / "brev.txt"))

    assert message == bokmal("Give the file a name ending in .pdf, e.g. brev.pdf.")
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_does_not_exist_is_refused(printable: Survey, tmp_path: Path):
    out = tmp_path / "mangler" / "brev.pdf"

    message = refused("print_letters", str(printable.round.pk), "--out", str(out))

    assert message == bokmal("The folder %(folder)s does not exist.", folder=out.parent)


def test_a_round_that_is_not_ready_is_refused_saying_what_is_missing(
    survey: Survey, tmp_path: Path
):
    message = refused("print_letters", str(survey.round.pk), "--out", str(tmp_path / "b.pdf"))

    with translation.override("nb"):
        missing = services.print_missing(survey.round, kind=LetterKind.INVITATION)
    assert len(missing) == 2
    assert message == " ".join(missing)
    assert list(tmp_path.iterdir()) == []


def test_a_round_that_does_not_exist_is_refused(world, tmp_path: Path):
    message = refused("print_letters", "9999", "--out", str(tmp_path / "b.pdf"))

    assert message == bokmal("There is no round %(pk)s. list_rounds shows the rounds.", pk=9999)


def test_recipients_with_incomplete_addresses_are_counted_not_printed(
    printable: Survey, tmp_path: Path
):
    Recipient.objects.filter(round=printable.round, name="Ola Nordmann").update(street_address="")
    out = tmp_path / "brev.pdf"

    printed = run("print_letters", str(printable.round.pk), "--out", str(out))

    assert "Ola Nordmann" not in names_in(out)
    assert len(reader(out).pages) == 3
    with translation.override("nb"):
        expected = ngettext(
            "Not printed, incomplete address: %(n)s recipient (see the round's page).",
            "Not printed, incomplete address: %(n)s recipients (see the round's page).",
            1,
        ) % {"n": 1}
    assert printed.splitlines()[-1] == expected
