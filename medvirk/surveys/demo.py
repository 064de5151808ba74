"""The demo's survey round: the 2016 user survey (and the relatives survey), open now.

Everything here is invented except the questionnaire, which is the municipality's own (see
questionnaires/hso-brukerundersokelse-2016.toml), and the answering window's shape: the
seed's round ran for almost three weeks. Recipients are made up (names, addresses) and
come in through the same import as a real list does.

``extend_demo`` is called by ``manage.py load_demo`` after the organisation is loaded. It
is idempotent: a second run finds the round and only prints a few unused codes again.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterator
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from medvirk.organisation.models import Municipality, Unit

from . import codes, services
from .models import Questionnaire, Recipient, Round

ROUND_NAME = "Brukerundersøkelse 2026"
USER_SURVEY = "hso-brukerundersokelse-2016"
RELATIVES_SURVEY = "hso-parorendeundersokelse"
RECIPIENTS_PER_UNIT = 12
SHOWN_CODES = 5

FIRST_NAMES = [
    "Anne",
    "Inger",
    "Kari",
    "Marit",
    "Ingrid",
    "Liv",
    "Eva",
    "Berit",
    "Astrid",
    "Bjørg",
    "Ole",
    "Jan",
    "Per",
    "Bjørn",
    "Lars",
    "Kjell",
    "Knut",
    "Arne",
    "Svein",
    "Odd",
    "Fatima",
    "Amir",
    "Zofia",
    "Ahmed",
    "Aisha",
    "Tomasz",
    "Leila",
    "Hassan",
    "Åse",
    "Øystein",
]
LAST_NAMES = [
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Johnsen",
    "Pettersen",
    "Eriksen",
    "Berg",
    "Haugen",
    "Hagen",
    "Ali",
    "Khan",
    "Nowak",
    "Ahmadi",
    "Ødegård",
    "Bråten",
    "Sæther",
    "Løken",
]
STREETS = [
    "Konnerudgata",
    "Bragernes torg",
    "Tollbugata",
    "Grønland",
    "Rosenkrantzgata",
    "Austadveien",
    "Kniveveien",
    "Danvikgata",
    "Engene",
    "Skogliveien",
    "Øvre Eikervei",
    "Bjørnstjerne Bjørnsons gate",
]
POSTAL_CODES = ["3015", "3017", "3019", "3024", "3027", "3029", "3030", "3034", "3038", "3045"]


def _recipient_rows(units: list[Unit], *, with_relatives: bool) -> Iterator[list[str]]:
    rng = random.Random(2016)  # the same invented people every time  # noqa: S311
    for unit in units:
        services_of_unit = list(unit.services.select_related("service_type"))
        for i in range(RECIPIENTS_PER_UNIT):
            relative = with_relatives and i % 6 == 5
            language = "nb" if i % 7 else rng.choice(["nn", "en"])
            service = (
                services_of_unit[i % len(services_of_unit)].service_type.code
                if services_of_unit
                else ""
            )
            yield [
                f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
                rng.choice(POSTAL_CODES),
                "Drammen",
                unit.code,
                service,
                language,
                "ja" if relative else "nei",
            ]


def _csv(rows: Iterator[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        ["Navn", "Adresse", "Postnr", "Poststed", "Virksomhet", "Tjeneste", "Språk", "Pårørende"]
    )
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@transaction.atomic
def _create_round(municipality: Municipality) -> Round:
    area = municipality.service_areas.get(code="05")
    units = list(area.units.filter(is_active=True).order_by("name"))
    now = timezone.localtime()
    opens = timezone.make_aware(datetime.combine(now.date() - timedelta(days=7), time(8, 0)))
    closes = timezone.make_aware(datetime.combine(now.date() + timedelta(days=21), time(23, 59)))
    user_survey = Questionnaire.objects.filter(municipality=None, key=USER_SURVEY).first()
    relatives_survey = Questionnaire.objects.filter(municipality=None, key=RELATIVES_SURVEY).first()
    if user_survey is None:
        raise RuntimeError("load the built-in questionnaires first (load_questionnaires)")
    round_ = services.round_create(
        actor=None,
        municipality=municipality,
        service_area=area,
        name=ROUND_NAME,
        questionnaire=user_survey,
        relatives_questionnaire=relatives_survey,
        opens_at=opens,
        closes_at=closes,
        units=units,
        contact={"name": "Kari Nordmann", "phone": "32 04 01 00", "hours": "hverdager 08.00–16.00"},
    )
    report = services.recipients_import(
        actor=None,
        round_=round_,
        data=_csv(_recipient_rows(units, with_relatives=relatives_survey is not None)),
    )
    if not report.applied:
        raise RuntimeError(f"demo recipients were refused: {report.parsed.problems}")
    services.round_open(actor=None, round_=round_)
    return round_


def extend_demo(municipality: Municipality) -> list[str]:
    """Load the survey demo unless it is there; return lines for the start-up output."""
    services.questionnaire_load_builtin()
    round_ = Round.objects.filter(municipality=municipality, name=ROUND_NAME).first()
    if round_ is None:
        round_ = _create_round(municipality)
    answered = services.answered_test(round_)
    candidates = (
        Recipient.objects.filter(round=round_, is_relative=False, language="nb")
        .select_related("unit", "round")
        .order_by("pk")
    )
    unused = [r for r in candidates.iterator() if not answered(r)][:SHOWN_CODES]
    lines = [
        f"Survey round {round_.pk}: {round_.name} ({round_.phase.label}), "
        f"answer at http://127.0.0.1:{{port}}/svar/",
        "Demo codes (each works once):",
    ]
    lines += [f"  {codes.display(services.code_of(r))}  {r.unit.name}" for r in unused]
    return lines
