"""Prepare the public pages benchmark's database: a published round with realistic results.

The demo municipality with 40 units (the demo's 32 and 8 more in its districts), and a
closed round of the 2016 user survey and the relatives survey whose recipients have been
purged (only the invited counts are left, as when results are published). About 5,000
responses are written straight to the table, spread unevenly over the units and their
services, with a few units too small to show; one in five has a comment, and most of those
are approved. Then the results are computed and published through the services, as a
quality adviser would. Prints the public page of every shown unit, one path per line.

Run by bench/public_pages.py in a subprocess with DJANGO_SETTINGS_MODULE=bench.settings.
"""

from __future__ import annotations

import random
import sys
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import django

if TYPE_CHECKING:
    # Imported for real after django.setup(), inside the functions.
    from medvirk.organisation.models import ServiceArea, Unit
    from medvirk.results.models import ResultSet
    from medvirk.surveys.models import Audience, Questionnaire, Response, ResponseText, Round

UNITS = 40
RELATIVES_AT_HOMES = 0.25  # the share of a nursing home's responses from relatives
COMMENT_SHARE = 0.2
SMALL_UNITS = 3  # units with too few respondents, so that disclosure control has work
COMMENTS = [
    "Personalet er blide og hjelpsomme.",
    "Maten kunne vært bedre.",
    "Jeg savner mer tid til en prat.",
    "Takk for god hjelp gjennom hele året.",
    "Det er ofte nye folk som kommer, det er vanskelig.",
]


def scores(rng: random.Random, statements: int, quality: float) -> str:
    """One answer string: points around the unit's quality, some "don't know", a few blank."""
    out = []
    for _ in range(statements):
        draw = rng.random()
        if draw < 0.03:
            out.append("-")
        elif draw < 0.08:
            out.append("0")
        else:
            out.append(str(max(1, min(5, round(rng.gauss(quality, 0.9))))))
    return "".join(out)


def importance(rng: random.Random, statements: int) -> str:
    return "".join(rng.choice("2344555") for _ in range(statements))


@dataclass
class Answered:
    """The made-up responses, their comments and how many were invited per group."""

    responses: list[Response] = field(default_factory=list)
    texts: list[ResponseText] = field(default_factory=list)
    invited: dict[tuple[int, int | None, str], int] = field(default_factory=dict)


def main(total: int) -> None:
    django.setup()
    from django.utils import timezone

    from medvirk.organisation import demo
    from medvirk.organisation.models import Municipality, Unit
    from medvirk.results.models import Level, ResultCell
    from medvirk.results.public_views import is_public
    from medvirk.surveys import services as surveys
    from medvirk.surveys.models import (
        Audience,
        InvitedCount,
        Questionnaire,
        Response,
        ResponseText,
    )

    rng = random.Random(2025)  # noqa: S311 (made-up answers)
    surveys.questionnaire_load_builtin()
    demo.load_demo(password="bench-only-password")  # noqa: S106 (a throwaway database)
    municipality = Municipality.objects.get(slug="drammen")
    area = municipality.service_areas.get(code="05")
    units = _units(area)
    questionnaires = {
        Audience.USERS: Questionnaire.objects.get(
            municipality=None, key="hso-brukerundersokelse-2016"
        ),
        Audience.RELATIVES: Questionnaire.objects.get(
            municipality=None, key="hso-parorendeundersokelse"
        ),
    }
    now = timezone.now()
    round_ = _closed_round(area, units, questionnaires, now)
    answered = _answers(rng, round_, units, questionnaires, total, now)
    Response.objects.bulk_create(answered.responses, batch_size=2000)
    ResponseText.objects.bulk_create(answered.texts, batch_size=2000)
    InvitedCount.objects.bulk_create(
        [
            InvitedCount(
                round=round_,
                unit_id=unit,
                service_type_id=service,
                audience=audience,
                invited=round(n / rng.uniform(0.45, 0.8)),
            )
            for (unit, service, audience), n in answered.invited.items()
        ]
    )
    result_set = _publish(rng, round_, now)

    cells = ResultCell.objects.filter(
        result_set=result_set, audience=Audience.USERS, level=Level.UNIT
    ).order_by("key")
    shown = [cell for cell in cells if is_public(cell)]
    print(
        f"{len(units)} units, {len(answered.responses)} responses, {len(shown)} unit pages shown",
        file=sys.stderr,
    )
    assert Unit.objects.filter(service_area=area).count() == UNITS
    for cell in shown:
        print(f"/resultater/{round_.pk}/{cell.audience}/{cell.key}/")


def _units(area: ServiceArea) -> list[Unit]:
    """The demo's units and, spread over its districts, enough more to make ``UNITS``."""
    from medvirk.organisation import services as organisation

    districts = list(area.districts.order_by("code"))
    for number in range(UNITS - area.units.count()):
        district = districts[number % len(districts)]
        organisation.unit_create(
            actor=None,
            service_area=area,
            data={
                "name": f"{district.name.removesuffix(' HOD')} omsorgsbolig {number + 1}",
                "code": f"{district.code}-OB{number + 1}",
                "district": district,
            },
        )
    return list(area.units.filter(is_active=True).prefetch_related("services").order_by("code"))


def _closed_round(
    area: ServiceArea,
    units: list[Unit],
    questionnaires: dict[Audience, Questionnaire],
    now: datetime,
) -> Round:
    """A round of both surveys that closed 40 days ago and was purged 10 days later."""
    from medvirk.surveys import services as surveys
    from medvirk.surveys.models import Audience, Round

    round_ = surveys.round_create(
        actor=None,
        municipality=area.municipality,
        service_area=area,
        name="Brukerundersøkelse 2025",
        questionnaire=questionnaires[Audience.USERS],
        relatives_questionnaire=questionnaires[Audience.RELATIVES],
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=40),
        units=units,
    )
    Round.objects.filter(pk=round_.pk).update(
        state=Round.State.CLOSED,
        opened_at=now - timedelta(days=60),
        closed_at=now - timedelta(days=40),
        purged_at=now - timedelta(days=30),
    )
    round_.refresh_from_db()
    return round_


def _answers(
    rng: random.Random,
    round_: Round,
    units: list[Unit],
    questionnaires: dict[Audience, Questionnaire],
    total: int,
    now: datetime,
) -> Answered:
    """About ``total`` responses (not yet saved) in the round."""
    from medvirk.surveys.models import Audience, Mode, Response, ResponseText

    # Uneven unit sizes, a few too small to show; relatives answer for the nursing homes.
    weights = [rng.lognormvariate(0, 0.6) for _ in units]
    for index in rng.sample(range(len(units)), SMALL_UNITS):
        weights[index] = 0.0
    scale = (total - 3 * SMALL_UNITS) / sum(weights)
    statements = {audience: len(q.spec.statements) for audience, q in questionnaires.items()}
    out = Answered()
    for unit, weight in zip(units, weights, strict=True):
        count = round(weight * scale) if weight else 3
        quality = rng.uniform(3.2, 4.5)
        service_types: list[int | None] = [s.service_type_id for s in unit.services.all()]
        service_types = service_types or [None]
        has_relatives = unit.code.endswith("BBS") or unit.code == "HH"
        for _ in range(count):
            audience = (
                Audience.RELATIVES
                if has_relatives and rng.random() < RELATIVES_AT_HOMES
                else Audience.USERS
            )
            service = rng.choice(service_types)
            response = Response(
                id=uuid.uuid4(),
                round=round_,
                questionnaire=questionnaires[audience],
                audience=audience,
                unit=unit,
                service_type_id=service,
                mode=rng.choice([Mode.WEB, Mode.WEB, Mode.PAPER]),
                submitted_on=(now - timedelta(days=rng.randint(41, 59))).date(),
                scores=scores(rng, statements[audience], quality),
                importance=importance(rng, statements[audience]),
            )
            out.responses.append(response)
            key = (unit.pk, service, audience)
            out.invited[key] = out.invited.get(key, 0) + 1
            if rng.random() < COMMENT_SHARE:
                out.texts.append(
                    ResponseText(response=response, key="kommentar", text=rng.choice(COMMENTS))
                )
    return out


def _publish(rng: random.Random, round_: Round, now: datetime) -> ResultSet:
    """The results computed, most comments approved, and published, as a quality adviser
    would."""
    from medvirk.results import services as results
    from medvirk.results.models import CommentReview

    result_set = results.results_compute(actor=None, round_=round_)
    reviews = list(CommentReview.objects.filter(round=round_).select_related("text"))
    for review in reviews:
        if rng.random() < 0.7:
            review.state = CommentReview.State.APPROVED
            review.shown_text = review.text.text
            review.reviewed_at = now
    CommentReview.objects.bulk_update(reviews, ["state", "shown_text", "reviewed_at"])
    results.results_publish(actor=None, result_set=result_set)
    return result_set


if __name__ == "__main__":
    main(int(sys.argv[1]))
