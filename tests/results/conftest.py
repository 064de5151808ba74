"""Results fixtures: closed rounds with answers written straight to the responses table.

``answered`` is a closed round of the 2016 user survey over the world's three units of
area 05: the unit and its sibling in district Nord, and the loose unit (Helsehuset) with no
district. The unit has 6 respondents, the sibling 2 (too few to show) and Helsehuset 7, so
the sibling is suppressed and one more group must be hidden with it. Every figure the tests
expect can be worked out by hand from ``ANSWERS``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from medvirk.organisation.models import Unit
from medvirk.results import services
from medvirk.results.models import ResultCell, ResultSet
from medvirk.surveys import services as surveys
from medvirk.surveys.models import Audience, Mode, Questionnaire, Response, ResponseText, Round

from ..surveys import conftest as surveys_fixtures
from ..surveys.conftest import import_people, make_round

questionnaires = surveys_fixtures.questionnaires

STATEMENTS = 23


def answers(first: str, rest: str = "3", importance: str = "4") -> tuple[str, str]:
    """An answer string: statement 1 as given (one character), the others all ``rest``."""
    return first + rest * (STATEMENTS - 1), importance * STATEMENTS


# Statement 1 per unit (code "0" is "don't know"); every other statement is answered 3.
ANSWERS: dict[str, list[str]] = {
    "n-shj": ["5", "4", "4", "3", "5", "0"],  # 6 respondents, statement 1: 5 valid, 1 dk
    "n-hjt": ["2", "1"],  # 2 respondents: too few
    "hh": ["4", "4", "5", "5", "3", "2", "4"],  # 7 respondents
}


@dataclass
class Answered:
    round: Round
    result_set: ResultSet

    def cell(self, key: str, audience: str = Audience.USERS) -> ResultCell:
        return ResultCell.objects.get(result_set=self.result_set, audience=audience, key=key)


def add_responses(
    round_: Round,
    unit: Unit,
    rows: Sequence[tuple[str, str]],
    *,
    audience: str = Audience.USERS,
    questionnaire: Questionnaire | None = None,
    comments: Sequence[str] = (),
) -> list[Response]:
    """Responses as the answer pages would have stored them, without going through them."""
    made = Response.objects.bulk_create(
        [
            Response(
                id=uuid.uuid4(),
                round=round_,
                questionnaire=questionnaire or round_.questionnaire,
                audience=audience,
                unit=unit,
                mode=Mode.WEB,
                submitted_on=timezone.localdate(),
                scores=scores,
                importance=importance,
            )
            for scores, importance in rows
        ]
    )
    ResponseText.objects.bulk_create(
        [
            ResponseText(response=response, key="kommentar", text=text)
            for response, text in zip(made, comments, strict=False)
        ]
    )
    return made


def close(round_: Round) -> None:
    Round.objects.filter(pk=round_.pk).update(
        state=Round.State.CLOSED, closed_at=timezone.now(), closes_at=timezone.now()
    )
    round_.refresh_from_db()


def open_round(world, questionnaires, *, name: str, days_ago: int = 30) -> Round:
    round_ = make_round(
        world,
        questionnaires,
        name=name,
        units=[world.unit, world.sibling, world.loose_unit],
        opens_in=timedelta(days=-days_ago),
        closes_in=timedelta(days=-days_ago + 14),
    )
    import_people(
        round_,
        *[
            f"Person {unit} {i};Gate {i};3045;Drammen;{unit};;nb;nei"
            for unit, rows in ANSWERS.items()
            for i in range(len(rows) + 2)
        ],
    )
    Round.objects.filter(pk=round_.pk).update(state=Round.State.OPEN, opened_at=timezone.now())
    round_.refresh_from_db()
    return round_


@pytest.fixture
def answered_round(world, questionnaires) -> Round:
    round_ = open_round(world, questionnaires, name="Brukerundersøkelse 2026", days_ago=20)
    units = {"n-shj": world.unit, "n-hjt": world.sibling, "hh": world.loose_unit}
    for code, firsts in ANSWERS.items():
        add_responses(round_, units[code], [answers(first) for first in firsts])
    close(round_)
    return round_


@pytest.fixture
def answered(answered_round: Round) -> Answered:
    result_set = services.results_compute(actor=None, round_=answered_round)
    return Answered(answered_round, result_set)


def recompute(round_: Round) -> ResultSet:
    return services.results_compute(actor=None, round_=round_)


__all__ = ["surveys"]
