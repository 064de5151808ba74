"""A round's life through the services: create, change, open, close, purge, and the audit
log each step writes (medvirk/surveys/services.py, Round in models.py).

Refusals are read in English (the source texts), since translations may lag behind.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from medvirk.organisation.models import AuditEntry
from medvirk.surveys import services
from medvirk.surveys.models import InvitedCount, Mode, Questionnaire, Recipient, Round, RoundUnit

from ..conftest import World
from ..factories import UnitFactory
from .conftest import Survey, csv_bytes, import_people, make_round

USER_SURVEY = "hso-brukerundersokelse-2016"
RELATIVES_SURVEY = "hso-parorendeundersokelse"
EASY_READ = "hso-brukerundersokelse-lettlest"

ROW_AT_UNIT = "Åse Ødegård;Bjørnstjerne Bjørnsons gate 12;3045;Drammen;n-shj;;nb;nei"
ROW_AT_SIBLING = "Kari Hjemme;Engene 5;3015;Drammen;n-hjt;;nn;nei"
ROW_AT_LOOSE_UNIT = "Ola Nordmann;Konnerudgata 1;3045;Drammen;hh;;en;nei"

OPENS = datetime(2026, 10, 17, 6, 0, tzinfo=UTC)
CLOSES = datetime(2026, 11, 4, 22, 59, tzinfo=UTC)


def create(world: World, questionnaires: dict[str, Questionnaire], **overrides: object) -> Round:
    """round_create with sensible arguments, any of which a test overrides."""
    arguments: dict[str, Any] = {
        "actor": world.people["adviser"],
        "municipality": world.alpha,
        "service_area": world.area,
        "name": "Brukerundersøkelse 2026",
        "questionnaire": questionnaires[USER_SURVEY],
        "relatives_questionnaire": questionnaires[RELATIVES_SURVEY],
        "opens_at": OPENS,
        "closes_at": CLOSES,
        "units": [world.unit, world.sibling],
        "contact": {"name": "Kari Nordmann", "phone": "32 04 01 00", "hours": "08.00–16.00"},
    }
    arguments.update(overrides)
    return services.round_create(**arguments)


def refusal(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


def field_errors(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(exc.value.message_dict)


@pytest.fixture
def draft(world, questionnaires) -> Round:
    """A draft round of two units with a contact person each, and no recipients yet."""
    return make_round(world, questionnaires)


@pytest.fixture
def ready(draft: Round) -> Round:
    """A draft round with recipients at both units: everything it needs to open."""
    import_people(draft, ROW_AT_UNIT, ROW_AT_SIBLING)
    return draft


@pytest.fixture
def beta_copy(world, questionnaires) -> Questionnaire:
    return services.questionnaire_copy(
        actor=None, municipality=world.beta, source=questionnaires[USER_SURVEY]
    )


@pytest.fixture
def english():
    with translation.override("en"):
        yield


# --- round_create ----------------------------------------------------------------------


def test_round_is_created_as_a_draft_with_its_units_and_their_contact(world, questionnaires):
    round_ = create(world, questionnaires)

    assert round_.state == Round.State.DRAFT
    assert round_.created_by == world.people["adviser"]
    assert {
        (ru.unit.name, ru.contact_name, ru.contact_phone, ru.contact_hours)
        for ru in round_.round_units.all()
    } == {
        ("Nord sykehjem", "Kari Nordmann", "32 04 01 00", "08.00–16.00"),
        ("Nord hjemmetjeneste", "Kari Nordmann", "32 04 01 00", "08.00–16.00"),
    }


def test_round_must_close_after_it_opens(world, questionnaires, english):
    with pytest.raises(ValidationError) as exc:
        create(world, questionnaires, opens_at=CLOSES, closes_at=OPENS)

    assert field_errors(exc) == {"closes_at"}
    assert "The round must close after it opens." in refusal(exc)
    assert not Round.objects.exists()


def test_round_refuses_a_unit_of_another_service_area(world, questionnaires, english):
    school = UnitFactory.create(service_area=world.other_area, name="Sentrum skole", code="skole")

    with pytest.raises(ValidationError) as exc:
        create(world, questionnaires, units=[world.unit, school])

    assert field_errors(exc) == {"units"}
    assert "Choose units of the round's own service area." in refusal(exc)
    assert not Round.objects.exists()
    assert not RoundUnit.objects.exists()


def test_round_refuses_a_unit_of_another_municipality(world, questionnaires):
    with pytest.raises(ValidationError):
        create(world, questionnaires, units=[world.foreign_unit])

    assert not Round.objects.exists()


def test_round_needs_at_least_one_unit(world, questionnaires, english):
    with pytest.raises(ValidationError) as exc:
        create(world, questionnaires, units=[])

    assert "Choose at least one unit." in refusal(exc)
    assert not Round.objects.exists()


def test_round_refuses_a_relatives_questionnaire_for_users(world, questionnaires, english):
    with pytest.raises(ValidationError) as exc:
        create(world, questionnaires, questionnaire=questionnaires[RELATIVES_SURVEY])

    assert field_errors(exc) == {"questionnaire"}
    assert "Choose a questionnaire for users." in refusal(exc)


def test_round_refuses_a_users_questionnaire_for_relatives(world, questionnaires, english):
    with pytest.raises(ValidationError) as exc:
        create(world, questionnaires, relatives_questionnaire=questionnaires[USER_SURVEY])

    assert field_errors(exc) == {"relatives_questionnaire"}
    assert "Choose a questionnaire for relatives." in refusal(exc)


def test_round_refuses_a_questionnaire_of_another_municipality(
    world, questionnaires, beta_copy, english
):
    with pytest.raises(ValidationError) as exc:
        create(world, questionnaires, questionnaire=beta_copy)

    assert field_errors(exc) == {"questionnaire"}
    assert "Choose a questionnaire of this municipality." in refusal(exc)
    assert not Round.objects.exists()


def test_round_refuses_a_service_area_of_another_municipality(world, questionnaires):
    with pytest.raises(ValidationError) as exc:
        create(
            world,
            questionnaires,
            service_area=world.foreign_unit.service_area,
            units=[world.foreign_unit],
        )

    assert "service_area" in field_errors(exc)
    assert not Round.objects.exists()


def test_round_without_a_relatives_survey_is_allowed(world, questionnaires):
    round_ = create(world, questionnaires, relatives_questionnaire=None)

    assert round_.relatives_questionnaire is None


def test_two_rounds_of_one_municipality_cannot_share_a_name(world, questionnaires, draft):
    with pytest.raises(ValidationError):
        create(world, questionnaires, name=draft.name)

    assert Round.objects.count() == 1


# --- round_update ----------------------------------------------------------------------


def test_draft_round_changes_its_questionnaire_and_times(world, questionnaires, draft):
    later = OPENS + timedelta(days=7)

    services.round_update(
        actor=None,
        round_=draft,
        data={
            "questionnaire": questionnaires[EASY_READ],
            "opens_at": later,
            "closes_at": later + timedelta(days=14),
        },
    )

    stored = Round.objects.get(pk=draft.pk)
    assert stored.questionnaire == questionnaires[EASY_READ]
    assert (stored.opens_at, stored.closes_at) == (later, later + timedelta(days=14))


def test_open_round_changes_its_name_and_closing_time(survey: Survey):
    later = survey.round.closes_at + timedelta(days=7)

    services.round_update(
        actor=None,
        round_=survey.round,
        data={"name": "Brukerundersøkelse høst", "closes_at": later},
    )

    stored = Round.objects.get(pk=survey.round.pk)
    assert (stored.name, stored.closes_at) == ("Brukerundersøkelse høst", later)


@pytest.mark.parametrize("field", ["questionnaire", "relatives_questionnaire", "opens_at"])
def test_open_round_refuses_other_changes_with_a_message(
    survey: Survey, questionnaires, field, english
):
    value = {
        "questionnaire": questionnaires[EASY_READ],
        "relatives_questionnaire": None,
        "opens_at": survey.round.opens_at - timedelta(days=1),
    }[field]

    with pytest.raises(ValidationError) as exc:
        services.round_update(actor=None, round_=survey.round, data={field: value})

    assert refusal(exc) == "While the round is open, only its name and closing time can change."
    stored = Round.objects.get(pk=survey.round.pk)
    assert (stored.questionnaire, stored.relatives_questionnaire, stored.opens_at) == (
        survey.questionnaire,
        survey.relatives_questionnaire,
        survey.round.opens_at,
    )


def test_open_round_refuses_a_closing_time_in_the_past(survey: Survey, english):
    before = Round.objects.get(pk=survey.round.pk).closes_at

    with pytest.raises(ValidationError) as exc:
        services.round_update(
            actor=None,
            round_=survey.round,
            data={"closes_at": timezone.now() - timedelta(minutes=1)},
        )

    assert field_errors(exc) == {"closes_at"}
    assert "The closing time must be in the future. Close the round instead." in refusal(exc)
    assert Round.objects.get(pk=survey.round.pk).closes_at == before


def test_closed_round_refuses_every_change(survey: Survey, english):
    services.round_close(actor=None, round_=survey.round)

    with pytest.raises(ValidationError) as exc:
        services.round_update(actor=None, round_=survey.round, data={"name": "Nytt navn"})

    assert refusal(exc) == "A closed round cannot change."
    assert Round.objects.get(pk=survey.round.pk).name == "Brukerundersøkelse 2026"


def test_round_update_refuses_a_field_it_does_not_know(draft):
    with pytest.raises(ValueError, match="state"):
        services.round_update(actor=None, round_=draft, data={"state": Round.State.OPEN})


# --- round_set_units -------------------------------------------------------------------


def test_draft_round_adds_a_unit_and_keeps_the_contacts_of_the_others(world, draft):
    services.round_set_units(actor=None, round_=draft, units=[world.unit, world.loose_unit])

    assert {(ru.unit.name, ru.contact_name) for ru in draft.round_units.all()} == {
        ("Nord sykehjem", "Kari Nordmann"),
        ("Helsehuset", ""),
    }


def test_units_cannot_change_once_the_round_is_open(world, survey: Survey, english):
    with pytest.raises(ValidationError) as exc:
        services.round_set_units(
            actor=None, round_=survey.round, units=[world.unit, world.sibling, world.loose_unit]
        )

    assert refusal(exc) == "The units of a round can change only while it is a draft."
    assert survey.round.round_units.count() == 2


def test_a_unit_with_recipients_cannot_be_removed(world, ready, english):
    with pytest.raises(ValidationError) as exc:
        services.round_set_units(actor=None, round_=ready, units=[world.unit])

    assert "Some units you removed have recipients. Remove those recipients first." in refusal(exc)
    assert ready.round_units.count() == 2


def test_set_units_refuses_a_unit_of_another_service_area(world, draft):
    school = UnitFactory.create(service_area=world.other_area, name="Sentrum skole", code="skole")

    with pytest.raises(ValidationError):
        services.round_set_units(actor=None, round_=draft, units=[world.unit, school])

    assert {ru.unit.name for ru in draft.round_units.all()} == {
        "Nord sykehjem",
        "Nord hjemmetjeneste",
    }


# --- round_unit_set_contact ------------------------------------------------------------


def test_contact_of_one_unit_changes(world, draft):
    round_unit = draft.round_units.get(unit=world.sibling)

    services.round_unit_set_contact(
        actor=None, round_unit=round_unit, name=" Per Hansen ", phone="32 04 02 00", hours="9–15"
    )

    stored = RoundUnit.objects.get(pk=round_unit.pk)
    assert (stored.contact_name, stored.contact_phone, stored.contact_hours) == (
        "Per Hansen",
        "32 04 02 00",
        "9–15",
    )


# --- round_open ------------------------------------------------------------------------


def test_round_without_recipients_does_not_open_and_says_so(draft, english):
    with pytest.raises(ValidationError) as exc:
        services.round_open(actor=None, round_=draft)

    assert exc.value.messages == ["The round has no recipients. Import the recipient list."]
    assert Round.objects.get(pk=draft.pk).state == Round.State.DRAFT


def test_round_with_a_unit_without_contact_does_not_open_and_names_the_unit(world, ready, english):
    services.round_set_units(
        actor=None, round_=ready, units=[world.unit, world.sibling, world.loose_unit]
    )

    with pytest.raises(ValidationError) as exc:
        services.round_open(actor=None, round_=ready)

    assert exc.value.messages == [
        "These units have no contact person with phone and hours: Helsehuset."
    ]
    assert Round.objects.get(pk=ready.pk).state == Round.State.DRAFT


def test_round_refusing_to_open_lists_everything_missing(world, draft, english):
    services.round_set_units(actor=None, round_=draft, units=[world.unit, world.loose_unit])

    with pytest.raises(ValidationError) as exc:
        services.round_open(actor=None, round_=draft)

    assert exc.value.messages == [
        "These units have no contact person with phone and hours: Helsehuset.",
        "The round has no recipients. Import the recipient list.",
    ]


def test_round_whose_closing_time_has_passed_does_not_open(world, questionnaires, english):
    round_ = make_round(
        world, questionnaires, opens_in=timedelta(days=-20), closes_in=timedelta(days=-1)
    )
    import_people(round_, ROW_AT_UNIT)

    with pytest.raises(ValidationError) as exc:
        services.round_open(actor=None, round_=round_)

    assert refusal(exc) == "The closing time has passed. Set a later closing time first."
    assert Round.objects.get(pk=round_.pk).state == Round.State.DRAFT


def test_ready_round_opens(ready):
    services.round_open(actor=None, round_=ready)

    stored = Round.objects.get(pk=ready.pk)
    assert stored.state == Round.State.OPEN
    assert stored.opened_at is not None
    assert stored.phase == Round.Phase.ACCEPTING


def test_round_that_opens_later_is_open_but_not_yet_accepting(world, questionnaires):
    round_ = make_round(world, questionnaires, opens_in=timedelta(days=3))
    import_people(round_, ROW_AT_UNIT)

    services.round_open(actor=None, round_=round_)

    assert Round.objects.get(pk=round_.pk).phase == Round.Phase.NOT_YET_OPEN


def test_open_round_cannot_be_opened_again(survey: Survey, english):
    with pytest.raises(ValidationError) as exc:
        services.round_open(actor=None, round_=survey.round)

    assert refusal(exc) == "Only a draft round can be opened."


# --- round_close -----------------------------------------------------------------------


def test_open_round_closes_now(survey: Survey):
    services.round_close(actor=None, round_=survey.round)

    stored = Round.objects.get(pk=survey.round.pk)
    assert stored.state == Round.State.CLOSED
    assert stored.closed_at is not None
    assert stored.phase == Round.Phase.ENDED


def test_draft_round_cannot_be_closed(draft, english):
    with pytest.raises(ValidationError) as exc:
        services.round_close(actor=None, round_=draft)

    assert refusal(exc) == "Only an open round can be closed."
    assert Round.objects.get(pk=draft.pk).state == Round.State.DRAFT


# --- phase_at and ended_at (no database) -----------------------------------------------


def round_in(state: str, **times: datetime) -> Round:
    return Round(state=state, opens_at=OPENS, closes_at=CLOSES, **times)


@pytest.mark.parametrize(
    ("now", "phase"),
    [
        (OPENS - timedelta(minutes=1), Round.Phase.NOT_YET_OPEN),
        (OPENS, Round.Phase.ACCEPTING),
        (CLOSES - timedelta(seconds=1), Round.Phase.ACCEPTING),
        (CLOSES, Round.Phase.ENDED),
        (CLOSES + timedelta(days=30), Round.Phase.ENDED),
    ],
)
def test_phase_of_an_open_round_follows_its_opening_hours(now, phase):
    assert round_in(Round.State.OPEN).phase_at(now) == phase


@pytest.mark.parametrize("now", [OPENS - timedelta(days=1), OPENS + timedelta(days=1)])
def test_draft_round_is_in_preparation_whatever_the_time(now):
    assert round_in(Round.State.DRAFT).phase_at(now) == Round.Phase.DRAFT


def test_round_closed_early_has_ended_within_its_opening_hours():
    closed_at = OPENS + timedelta(days=5)
    round_ = round_in(Round.State.CLOSED, closed_at=closed_at)

    assert round_.phase_at(OPENS + timedelta(days=6)) == Round.Phase.ENDED
    assert round_.ended_at == closed_at


def test_round_closed_after_its_closing_time_ended_at_the_closing_time():
    round_ = round_in(Round.State.CLOSED, closed_at=CLOSES + timedelta(days=2))

    assert round_.ended_at == CLOSES


def test_open_round_ends_at_its_closing_time():
    assert round_in(Round.State.OPEN).ended_at == CLOSES


# --- recipients ------------------------------------------------------------------------


def test_recipients_cannot_be_added_to_a_closed_round(survey: Survey, english):
    services.round_close(actor=None, round_=survey.round)

    with pytest.raises(ValidationError) as exc:
        services.recipients_import(
            actor=None, round_=survey.round, data=csv_bytes(ROW_AT_SIBLING.replace("Kari", "Liv"))
        )

    assert refusal(exc) == "Recipients cannot be added to a closed round."
    assert Recipient.objects.filter(round=survey.round).count() == 4


def test_purge_is_refused_while_the_round_accepts_answers(survey: Survey, english):
    with pytest.raises(ValidationError) as exc:
        services.recipients_purge(actor=None, round_=survey.round)

    assert refusal(exc) == (
        "Recipients can be purged only after the round has closed. Close it first."
    )
    assert Recipient.objects.filter(round=survey.round).count() == 4


def test_purge_deletes_the_recipients_and_keeps_how_many_were_invited(survey: Survey):
    services.round_close(actor=None, round_=survey.round)

    report = services.recipients_purge(actor=None, round_=survey.round)

    assert report.recipients == 4
    assert not Recipient.objects.filter(round=survey.round).exists()
    assert {
        (count.unit.code, count.audience, count.invited)
        for count in InvitedCount.objects.filter(round=survey.round)
    } == {("n-shj", "users", 2), ("n-shj", "relatives", 1), ("n-hjt", "users", 1)}
    assert Round.objects.get(pk=survey.round.pk).purged_at is not None


def test_purge_closes_an_open_round_whose_closing_time_has_passed(world, questionnaires):
    round_ = make_round(world, questionnaires, opens_in=timedelta(days=-10))
    import_people(round_, ROW_AT_UNIT)
    services.round_open(actor=None, round_=round_)
    Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - timedelta(minutes=1))

    services.recipients_purge(actor=None, round_=Round.objects.get(pk=round_.pk))

    assert Round.objects.get(pk=round_.pk).state == Round.State.CLOSED


def test_purge_twice_is_refused(survey: Survey, english):
    services.round_close(actor=None, round_=survey.round)
    services.recipients_purge(actor=None, round_=survey.round)

    with pytest.raises(ValidationError) as exc:
        services.recipients_purge(actor=None, round_=survey.round)

    assert refusal(exc) == "The recipients of this round are purged already."


# --- the audit log ---------------------------------------------------------------------


def entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action))


def test_creating_a_round_is_audited_with_its_unit_count(world, questionnaires):
    round_ = create(world, questionnaires)

    (entry,) = entries("round.create")
    assert (entry.actor, entry.municipality, entry.target_id) == (
        world.people["adviser"],
        world.alpha,
        str(round_.pk),
    )
    assert entry.changes["name"] == [None, "Brukerundersøkelse 2026"]
    assert entry.changes["units"] == [None, 2]


def test_changing_a_round_is_audited_with_before_and_after(world, draft):
    services.round_update(actor=world.people["adviser"], round_=draft, data={"name": "Høst 2026"})

    (entry,) = entries("round.update")
    assert entry.changes == {"name": ["Brukerundersøkelse 2026", "Høst 2026"]}
    assert entry.actor == world.people["adviser"]


def test_saving_a_round_unchanged_writes_no_audit_entry(draft):
    services.round_update(actor=None, round_=draft, data={"name": draft.name})

    assert entries("round.update") == []


def test_changing_units_is_audited_with_counts(world, draft):
    services.round_set_units(
        actor=None, round_=draft, units=[world.unit, world.sibling, world.loose_unit]
    )

    (entry,) = entries("round.set_units")
    assert entry.changes == {"units": [2, 3]}


def test_changing_a_contact_is_audited(world, draft):
    round_unit = draft.round_units.get(unit=world.unit)

    services.round_unit_set_contact(
        actor=None, round_unit=round_unit, name="Per Hansen", phone="1", hours="2"
    )

    (entry,) = entries("round.set_contact")
    assert entry.changes == {
        "contact": ["Kari Nordmann / 32 04 01 00 / 08.00–16.00", "Per Hansen / 1 / 2"]
    }


def test_importing_is_audited_with_the_number_of_recipients(draft):
    import_people(draft, ROW_AT_UNIT, ROW_AT_SIBLING)

    (entry,) = entries("round.import_recipients")
    assert entry.changes == {"recipients": [None, 2]}


def test_opening_and_closing_are_audited(world, ready):
    services.round_open(actor=world.people["adviser"], round_=ready)
    services.round_close(actor=world.people["admin"], round_=ready)

    (opened,) = entries("round.open")
    (closed,) = entries("round.close")
    assert (opened.actor, opened.changes) == (world.people["adviser"], {"state": ["draft", "open"]})
    assert (closed.actor, closed.changes) == (world.people["admin"], {"state": ["open", "closed"]})


def test_purging_is_audited_with_the_number_of_recipients(survey: Survey):
    services.round_close(actor=None, round_=survey.round)
    services.recipients_purge(actor=None, round_=survey.round)

    (entry,) = entries("round.purge_recipients")
    assert entry.changes == {"recipients": [4, 0]}


def test_entering_a_paper_form_is_audited_without_saying_which(world, survey: Survey):
    spec = survey.questionnaire.spec
    services.response_enter(
        actor=world.people["adviser"],
        round_=survey.round,
        mode=Mode.PAPER,
        unit=None,
        service_type=None,
        audience="users",
        on_behalf=False,
        scores="4" * len(spec.statements),
        importance="5" * len(spec.statements),
        texts={},
        code=survey.codes["Ola Nordmann"],
    )

    (entry,) = entries("round.enter_response")
    assert entry.changes == {"mode": [None, "paper"]}
    assert entry.target_id == str(survey.round.pk)


def test_audit_log_never_names_a_recipient(world, survey: Survey):
    services.round_close(actor=world.people["adviser"], round_=survey.round)
    services.recipients_purge(actor=world.people["adviser"], round_=survey.round)

    logged = " ".join(f"{entry.target_repr} {entry.changes}" for entry in AuditEntry.objects.all())
    assert AuditEntry.objects.filter(action__startswith="round.").count() >= 4
    for personal in ["Åse", "Ødegård", "Ola Nordmann", "Per Pårørende", "Kari Hjemme", "Engene"]:
        assert personal not in logged
    for code in survey.codes.values():
        assert code not in logged
