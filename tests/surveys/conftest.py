"""Survey fixtures on top of the organisation's world (tests/conftest.py).

``survey`` is an open round of the 2016 user survey (with the relatives survey) in
municipality A, covering the world's unit and its sibling, with recipients whose plain
codes the tests know, as a letter would print them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from medvirk.organisation.models import Municipality, ServiceArea, Unit
from medvirk.surveys import codes, services
from medvirk.surveys.models import AccessCode, Questionnaire, Recipient, Round

from ..factories import UnitFactory

HEADER = "Navn;Adresse;Postnr;Poststed;Virksomhet;Tjeneste;Språk;Pårørende"


@dataclass
class Survey:
    round: Round
    questionnaire: Questionnaire
    relatives_questionnaire: Questionnaire
    codes: dict[str, str]  # recipient name -> code as printed (XXXX-XXXX-XXXX)

    def recipient(self, name: str) -> Recipient:
        return Recipient.objects.get(round=self.round, name=name)

    def access_code(self, name: str) -> AccessCode:
        """The recipient's access code, found as the server finds it: with the round's key."""
        return access_code_of(self.recipient(name))

    def code_now(self, name: str) -> str:
        """The recipient's code as a letter printed now would print it."""
        return codes.display(services.code_of(self.recipient(name)))

    def used(self, name: str) -> bool:
        return self.access_code(name).used

    def draft(self, name: str) -> services.OpenDraft | None:
        return services.draft_open(self.access_code(name))


def access_code_of(recipient: Recipient) -> AccessCode:
    lookup = services.round_codes(recipient.round).lookup_of_recipient(recipient)
    return AccessCode.objects.get(round_id=recipient.round_id, lookup=lookup)


@pytest.fixture
def questionnaires(db) -> dict[str, Questionnaire]:
    return {q.questionnaire.key: q.questionnaire for q in services.questionnaire_load_builtin()}


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return "\n".join([header, *rows]).encode(encoding)


def import_people(round_: Round, *rows: str) -> dict[str, str]:
    report = services.recipients_import(actor=None, round_=round_, data=csv_bytes(*rows))
    assert report.applied, report.parsed.problems
    return {
        r.name: codes.display(services.code_of(r)) for r in Recipient.objects.filter(round=round_)
    }


def make_round(
    world,
    questionnaires: dict[str, Questionnaire],
    *,
    name: str = "Brukerundersøkelse 2026",
    units: list[Unit] | None = None,
    opens_in: timedelta = timedelta(days=-1),
    closes_in: timedelta = timedelta(days=14),
    municipality: Municipality | None = None,
    service_area: ServiceArea | None = None,
) -> Round:
    """A draft round; by default in municipality A's area 05, of the unit and its sibling."""
    now = timezone.now()
    return services.round_create(
        actor=None,
        municipality=municipality or world.alpha,
        service_area=service_area or world.area,
        name=name,
        questionnaire=questionnaires["hso-brukerundersokelse-2016"],
        relatives_questionnaire=questionnaires["hso-parorendeundersokelse"],
        opens_at=now + opens_in,
        closes_at=now + closes_in,
        units=units or [world.unit, world.sibling],
        contact={"name": "Kari Nordmann", "phone": "32 04 01 00", "hours": "08.00–16.00"},
    )


@pytest.fixture
def survey(world, questionnaires) -> Survey:
    round_ = make_round(world, questionnaires)
    people = import_people(
        round_,
        "Åse Ødegård;Bjørnstjerne Bjørnsons gate 12;3045;Drammen;n-shj;;nb;nei",
        "Ola Nordmann;Konnerudgata 1;3045;Drammen;n-shj;;en;nei",
        "Per Pårørende;Tollbugata 3;3044;Drammen;n-shj;;nb;ja",
        "Kari Hjemme;Engene 5;3015;Drammen;n-hjt;;nn;nei",
    )
    services.round_open(actor=None, round_=round_)
    return Survey(
        round=round_,
        questionnaire=questionnaires["hso-brukerundersokelse-2016"],
        relatives_questionnaire=questionnaires["hso-parorendeundersokelse"],
        codes=people,
    )


@pytest.fixture
def school_round(world, questionnaires) -> Round:
    """A round in municipality A's other service area (02), which the adviser does not run."""
    school = UnitFactory.create(service_area=world.other_area, name="Sentrum skole", code="skole")
    return make_round(
        world,
        questionnaires,
        service_area=world.other_area,
        units=[school],
        name="Elevundersøkelse 2026",
    )


@pytest.fixture
def beta_round(world, questionnaires) -> Round:
    return make_round(
        world,
        questionnaires,
        municipality=world.beta,
        service_area=world.foreign_unit.service_area,
        units=[world.foreign_unit],
        name="Beta brukerundersøkelse",
    )


@pytest.fixture
def sibling_round(world, questionnaires) -> Round:
    """A round of area 05 that covers only the sibling unit, not the manager's."""
    return make_round(world, questionnaires, name="Hjemmetjenesten 2026", units=[world.sibling])


@pytest.fixture
def respondent(world) -> Client:
    """A browser of someone answering, on municipality A's web address."""
    return Client(HTTP_HOST="alpha.test", REMOTE_ADDR="192.0.2.10")
