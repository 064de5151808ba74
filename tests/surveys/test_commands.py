"""The surveys' management commands, which call the same services as the staff pages.

Commands speak bokmål. Translations are still being written, so the tests read numbers and
names, and where they compare a sentence they take it from the bokmål catalogue as it is.
"""

from __future__ import annotations

import re
from datetime import datetime
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.translation import gettext, ngettext

from medvirk.surveys import questionnaire as definitions
from medvirk.surveys import services
from medvirk.surveys.models import InvitedCount, Questionnaire, Recipient, Round

from .conftest import HEADER, Survey, import_people, make_round

OSLO = ZoneInfo("Europe/Oslo")
USER_SURVEY = "hso-brukerundersokelse-2016"
RELATIVES_SURVEY = "hso-parorendeundersokelse"

ROW_AT_UNIT = "Åse Ødegård;Bjørnstjerne Bjørnsons gate 12;3045;Drammen;n-shj;;nb;nei"
ROW_AT_SIBLING = "Kari Hjemme;Engene 5;3015;Drammen;n-hjt;;nn;nei"
ROW_WITH_BAD_POSTAL_CODE = "Ola Feil;Storgata 1;30A;Drammen;n-shj;;nb;nei"


def run(*args: str) -> str:
    """Run a command; what it printed on stdout."""
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def run_refused(*args: str) -> tuple[str, str]:
    """Run a command that must fail; its error message and what it printed before."""
    out = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command(*args, stdout=out, stderr=StringIO())
    return str(exc.value), out.getvalue()


def bokmal(message: str, **values: object) -> str:
    with translation.override("nb"):
        return gettext(message) % values


def imported(n: int) -> str:
    with translation.override("nb"):
        return ngettext("Imported %(n)s recipient.", "Imported %(n)s recipients.", n) % {"n": n}


def recipient_file(directory: Path, *rows: str) -> Path:
    path = directory / "mottakere.csv"
    path.write_text("\n".join([HEADER, *rows]), encoding="utf-8")
    return path


def create_round(*extra: str, units: tuple[str, ...] = ("--units", "n-shj", "n-hjt")) -> str:
    return run(
        "create_round",
        "--municipality",
        "alpha",
        "--name",
        "Brukerundersøkelse 2026",
        "--questionnaire",
        USER_SURVEY,
        "--relatives-questionnaire",
        RELATIVES_SURVEY,
        "--opens",
        "17.10.2026 08:00",
        "--closes",
        "04.11.2026 23:59",
        "--contact-name",
        "Kari Nordmann",
        "--contact-phone",
        "32 04 01 00",
        "--contact-hours",
        "08.00–16.00",
        *units,
        *extra,
    )


def create_round_refused(**changed: str) -> str:
    arguments = {
        "--municipality": "alpha",
        "--name": "Brukerundersøkelse 2026",
        "--questionnaire": USER_SURVEY,
        "--opens": "17.10.2026 08:00",
        "--closes": "04.11.2026 23:59",
        "--units": "n-shj",
    }
    arguments.update({f"--{key.replace('_', '-')}": value for key, value in changed.items()})
    flat = [part for pair in arguments.items() for part in pair if part]
    message, _out = run_refused("create_round", *flat)
    return message


@pytest.fixture
def draft(world, questionnaires) -> Round:
    return make_round(world, questionnaires, name="Høstundersøkelse 2026")


# --- load_questionnaires ---------------------------------------------------------------


def test_load_questionnaires_loads_the_built_in_files(db):
    output = run("load_questionnaires")

    assert Questionnaire.objects.count() == 3
    assert f"{USER_SURVEY} v1: {bokmal('loaded')}" in output


def test_load_questionnaires_twice_changes_nothing(db):
    run("load_questionnaires")
    first = set(Questionnaire.objects.values_list("pk", "checksum"))

    output = run("load_questionnaires")

    assert set(Questionnaire.objects.values_list("pk", "checksum")) == first
    assert f"{USER_SURVEY} v1: {bokmal('already loaded')}" in output


def test_load_questionnaires_refuses_a_changed_file_with_the_same_version(
    db, tmp_path, monkeypatch
):
    path = tmp_path / "skjema.toml"
    text = (definitions.BUILT_IN_DIR / f"{USER_SURVEY}.toml").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(definitions, "built_in_files", lambda: [path])
    run("load_questionnaires")
    path.write_text(text.replace("HSO brukerundersøkelse 2016", "Endret tittel"), encoding="utf-8")

    message, _out = run_refused("load_questionnaires")

    assert "raise `version`" in message
    assert Questionnaire.objects.get().title_in("nb") == "HSO brukerundersøkelse 2016"


# --- create_round ----------------------------------------------------------------------


def test_create_round_makes_a_draft_of_the_named_units(world, questionnaires):
    output = create_round()

    round_ = Round.objects.get()
    assert str(round_.pk) in output
    assert "Brukerundersøkelse 2026" in output
    assert round_.state == Round.State.DRAFT
    assert (round_.questionnaire, round_.relatives_questionnaire) == (
        questionnaires[USER_SURVEY],
        questionnaires[RELATIVES_SURVEY],
    )
    assert round_.opens_at == datetime(2026, 10, 17, 8, 0, tzinfo=OSLO)
    assert round_.closes_at == datetime(2026, 11, 4, 23, 59, tzinfo=OSLO)
    assert {(ru.unit.code, ru.contact_name) for ru in round_.round_units.all()} == {
        ("n-shj", "Kari Nordmann"),
        ("n-hjt", "Kari Nordmann"),
    }


def test_create_round_with_all_units_takes_every_active_unit_of_the_area(world, questionnaires):
    create_round(units=("--all-units",))

    assert {u.code for u in Round.objects.get().units.all()} == {"n-shj", "n-hjt", "hh"}


def test_create_round_reads_iso_times_too(world, questionnaires):
    run(
        "create_round",
        "--municipality",
        "alpha",
        "--name",
        "ISO",
        "--questionnaire",
        USER_SURVEY,
        "--opens",
        "2026-10-17 08:00",
        "--closes",
        "2026-11-04T23:59",
        "--units",
        "n-shj",
    )

    round_ = Round.objects.get()
    assert (round_.opens_at, round_.closes_at) == (
        datetime(2026, 10, 17, 8, 0, tzinfo=OSLO),
        datetime(2026, 11, 4, 23, 59, tzinfo=OSLO),
    )


def test_create_round_refuses_an_unknown_unit_code(world, questionnaires):
    message = create_round_refused(units="finnes-ikke")

    assert "finnes-ikke" in message
    assert not Round.objects.exists()


def test_create_round_refuses_a_unit_of_another_municipality(world, questionnaires):
    message = create_round_refused(units="b-shj")

    assert "b-shj" in message
    assert not Round.objects.exists()


def test_create_round_refuses_a_time_it_cannot_read_and_shows_how_to_write_it(
    world, questionnaires
):
    message = create_round_refused(opens="17/10/2026 kl 8")

    assert "17/10/2026 kl 8" in message
    assert "17.10.2026 08:00" in message
    assert not Round.objects.exists()


def test_create_round_refuses_an_unknown_questionnaire_key(world, questionnaires):
    message = create_round_refused(questionnaire="finnes-ikke-skjema")

    assert "finnes-ikke-skjema" in message
    assert not Round.objects.exists()


def test_create_round_refuses_closing_before_opening(world, questionnaires):
    message = create_round_refused(opens="04.11.2026 23:59", closes="17.10.2026 08:00")

    assert bokmal("The round must close after it opens.") in message
    assert not Round.objects.exists()


def test_create_round_needs_the_municipality_when_there_are_several(world, questionnaires):
    message = create_round_refused(municipality="")

    assert "--municipality" in message
    assert not Round.objects.exists()


def test_create_round_refuses_an_unknown_municipality(world, questionnaires):
    message = create_round_refused(municipality="gamma")

    assert "gamma" in message


# --- import_recipients -----------------------------------------------------------------


def test_import_recipients_imports_the_file_and_says_how_many(draft, tmp_path):
    path = recipient_file(tmp_path, ROW_AT_UNIT, ROW_AT_SIBLING)

    output = run("import_recipients", str(draft.pk), str(path))

    assert imported(2) in output
    assert set(Recipient.objects.filter(round=draft).values_list("name", flat=True)) == {
        "Åse Ødegård",
        "Kari Hjemme",
    }


def test_import_recipients_with_an_invalid_row_imports_nothing_and_names_the_row(draft, tmp_path):
    path = recipient_file(tmp_path, ROW_AT_UNIT, ROW_WITH_BAD_POSTAL_CODE)

    _message, output = run_refused("import_recipients", str(draft.pk), str(path))

    assert bokmal("Row %(row)s", row=3) in output
    assert "30A" in output
    assert not Recipient.objects.exists()


def test_import_recipients_with_skip_invalid_imports_the_valid_rows(draft, tmp_path):
    path = recipient_file(tmp_path, ROW_AT_UNIT, ROW_WITH_BAD_POSTAL_CODE)

    output = run("import_recipients", str(draft.pk), str(path), "--skip-invalid")

    assert bokmal("Row %(row)s", row=3) in output
    assert imported(1) in output
    assert list(Recipient.objects.values_list("name", flat=True)) == ["Åse Ødegård"]


def test_import_recipients_refuses_a_missing_file(draft, tmp_path):
    missing = tmp_path / "finnes-ikke.csv"

    message, _out = run_refused("import_recipients", str(draft.pk), str(missing))

    assert str(missing) in message
    assert not Recipient.objects.exists()


def test_import_recipients_refuses_a_round_that_does_not_exist(db, tmp_path):
    path = recipient_file(tmp_path, ROW_AT_UNIT)

    message, _out = run_refused("import_recipients", "999999", str(path))

    assert "999999" in message


def test_import_recipients_refuses_a_closed_round(survey: Survey, tmp_path):
    services.round_close(actor=None, round_=survey.round)
    path = recipient_file(tmp_path, ROW_AT_UNIT.replace("Åse", "Liv"))

    run_refused("import_recipients", str(survey.round.pk), str(path))

    assert Recipient.objects.filter(round=survey.round).count() == 4


def test_import_recipients_writes_the_progress_bar_to_stderr_not_stdout(draft, tmp_path):
    path = recipient_file(tmp_path, ROW_AT_UNIT)
    out, err = StringIO(), StringIO()

    call_command("import_recipients", str(draft.pk), str(path), stdout=out, stderr=err)

    assert "%|" not in out.getvalue()


# --- list_rounds -----------------------------------------------------------------------


def row_of(output: str, name: str) -> list[str]:
    (line,) = [line for line in output.splitlines() if name in line]
    return re.split(r"\s{2,}", line.strip())


def test_list_rounds_shows_number_name_and_counts(survey: Survey):
    row = row_of(run("list_rounds"), "Brukerundersøkelse 2026")

    assert row[0] == str(survey.round.pk)
    assert row[1:3] == ["alpha", "Brukerundersøkelse 2026"]
    assert row[6:9] == ["2", "4", "0"]


def test_list_rounds_counts_responses(survey: Survey):
    spec = survey.questionnaire.spec
    services.response_enter(
        actor=None,
        round_=survey.round,
        mode="paper",
        unit=None,
        service_type=None,
        audience="users",
        on_behalf=False,
        scores="4" * len(spec.statements),
        importance="-" * len(spec.statements),
        texts={},
        code=survey.codes["Ola Nordmann"],
    )

    row = row_of(run("list_rounds"), "Brukerundersøkelse 2026")

    assert row[7:10] == ["4", "1", "25 %"]


def test_list_rounds_keeps_invited_counts_after_the_purge(survey: Survey):
    services.round_close(actor=None, round_=survey.round)
    services.recipients_purge(actor=None, round_=survey.round)

    row = row_of(run("list_rounds"), "Brukerundersøkelse 2026")

    assert row[7] == "4"
    assert InvitedCount.objects.filter(round=survey.round).exists()


def test_list_rounds_of_one_municipality_leaves_out_the_others(survey: Survey):
    output = run("list_rounds", "--municipality", "beta")

    assert "Brukerundersøkelse 2026" not in output


# --- open_round, close_round, purge_recipients -----------------------------------------


def test_open_round_opens_a_ready_round(draft):
    import_people(draft, ROW_AT_UNIT)

    output = run("open_round", str(draft.pk))

    assert "Høstundersøkelse 2026" in output
    assert Round.objects.get(pk=draft.pk).state == Round.State.OPEN


def test_open_round_refuses_a_round_without_recipients(draft):
    run_refused("open_round", str(draft.pk))

    assert Round.objects.get(pk=draft.pk).state == Round.State.DRAFT


def test_close_round_closes_an_open_round(survey: Survey):
    output = run("close_round", str(survey.round.pk))

    assert "Brukerundersøkelse 2026" in output
    assert Round.objects.get(pk=survey.round.pk).state == Round.State.CLOSED


def test_close_round_refuses_a_draft(draft):
    run_refused("close_round", str(draft.pk))

    assert Round.objects.get(pk=draft.pk).state == Round.State.DRAFT


def test_purge_recipients_is_refused_while_the_round_is_open(survey: Survey):
    run_refused("purge_recipients", str(survey.round.pk))

    assert Recipient.objects.filter(round=survey.round).count() == 4


def test_purge_recipients_deletes_them_once_the_round_is_closed(survey: Survey):
    run("close_round", str(survey.round.pk))

    output = run("purge_recipients", str(survey.round.pk))

    assert "Brukerundersøkelse 2026" in output
    assert " 4 " in output
    assert not Recipient.objects.filter(round=survey.round).exists()
    assert Round.objects.get(pk=survey.round.pk).purged_at is not None
