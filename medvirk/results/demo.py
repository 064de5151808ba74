"""The demo's results: two closed rounds of the 2016 survey with invented answers.

"Brukerundersøkelse 2024" and "Brukerundersøkelse 2025" ran over every unit of area 05
(users and relatives), closed, and were purged, so only the number invited per unit and
service remains, as after a real round. The answers are invented: each unit has a level of
its own, the statements a profile (the digital ones score lower and get more "vet ikke"),
and 2025 is a little better than 2024 where the units worked on it. A few units have only
two to four respondents, so their results are hidden and the disclosure control has work to
do. About one response in eight has a comment, some with a phone number or a name for the
screening to find. 2025's comments are screened (the flagged ones left for the demo's
quality adviser), its results computed and published; 2024 is computed, so 2025 shows the
change.

``extend_demo`` is idempotent: rounds that are there are left as they are.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from medvirk.organisation.models import Municipality, Unit
from medvirk.surveys import services as surveys
from medvirk.surveys.models import (
    Audience,
    InvitedCount,
    Mode,
    Questionnaire,
    Response,
    ResponseText,
    Round,
)

from . import services
from .models import CommentReview, ResultSet

ROUNDS = (
    # name, opens (Monday), closes (Friday), improvement over the year before
    ("Brukerundersøkelse 2024", date(2024, 10, 14), date(2024, 11, 1), 0.0),
    ("Brukerundersøkelse 2025", date(2025, 10, 13), date(2025, 10, 31), 0.15),
)
PUBLISHED = "Brukerundersøkelse 2025"
# Units with too few respondents to be shown (by code), and how many answered.
SMALL = {"SGD": 3, "TAN-DAG": 2, "DAN-DAG": 4}
COMMENTS = [
    "Personalet er alltid hyggelige og tar seg tid.",
    "Det er for lite folk på jobb i helgene.",
    "Maten har blitt mye bedre i år.",
    "Jeg skulle ønske jeg fikk komme mer ut.",
    "Vanskelig å vite hvem jeg skal ringe når noe er galt.",
    "Tusen takk for god hjelp hele året!",
    "Hjemmetjenesten kommer ofte senere enn avtalt.",
    "Jeg forstår ikke hvordan trygghetsalarmen virker.",
    "Det er godt å bli spurt om hva som er viktig for meg.",
    "Flere aktiviteter på ettermiddagen hadde vært fint.",
]
FLAGGED = [
    "Ring meg gjerne på 912 34 567 så kan jeg forklare mer.",
    "Kari Nordmann på kveldsvakt er fantastisk, gi henne lønnsøkning.",
    "Send svar til ola.hansen@example.no.",
]


def extend_demo(municipality: Municipality) -> list[str]:
    area = municipality.service_areas.filter(code="05").first()
    if area is None:
        return []
    user_survey = Questionnaire.objects.filter(
        municipality=None, key="hso-brukerundersokelse-2016"
    ).first()
    relatives_survey = Questionnaire.objects.filter(
        municipality=None, key="hso-parorendeundersokelse"
    ).first()
    if user_survey is None or relatives_survey is None:
        return []
    units = list(area.units.filter(is_active=True).select_related("district").order_by("code"))
    rng = random.Random(2025)  # noqa: S311 (invented answers, the same every time)
    levels = {unit.pk: rng.gauss(0, 0.35) for unit in units}
    for name, opens, closes, better in ROUNDS:
        round_ = Round.objects.filter(municipality=municipality, name=name).first()
        if round_ is None:
            round_ = _closed_round(
                municipality, area, name, opens, closes, user_survey, relatives_survey, units
            )
            _answers(round_, units, levels, better, random.Random(opens.year))  # noqa: S311
            services.results_compute(actor=None, round_=round_)
            if name == PUBLISHED:
                _screen(round_)
                result_set = ResultSet.objects.get(round=round_)
                services.results_publish(actor=None, result_set=result_set)
    published = Round.objects.filter(municipality=municipality, name=PUBLISHED).first()
    if published is None:
        return []
    return [
        f"Results of {PUBLISHED}: public at http://127.0.0.1:{{port}}/resultater/, "
        f"for staff at http://127.0.0.1:{{port}}/staff/results/{published.pk}/ (as kvalitet)"
    ]


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


@transaction.atomic
def _closed_round(
    municipality: Municipality,
    area: object,
    name: str,
    opens: date,
    closes: date,
    user_survey: Questionnaire,
    relatives_survey: Questionnaire,
    units: list[Unit],
) -> Round:
    round_ = surveys.round_create(
        actor=None,
        municipality=municipality,
        service_area=area,  # type: ignore[arg-type]
        name=name,
        questionnaire=user_survey,
        relatives_questionnaire=relatives_survey,
        opens_at=_aware(opens, time(8, 0)),
        closes_at=_aware(closes, time(23, 59)),
        units=units,
        contact={"name": "Kari Nordmann", "phone": "32 04 01 00", "hours": "hverdager 08.00–16.00"},
    )
    Round.objects.filter(pk=round_.pk).update(
        state=Round.State.CLOSED,
        opened_at=round_.opens_at,
        closed_at=round_.closes_at,
        purged_at=round_.closes_at + timedelta(days=30),
    )
    round_.refresh_from_db()
    return round_


def _answers(
    round_: Round,
    units: list[Unit],
    levels: dict[int, float],
    better: float,
    rng: random.Random,
) -> None:
    days = (round_.closes_at.date() - round_.opens_at.date()).days
    responses: list[Response] = []
    texts: list[ResponseText] = []
    invited: list[InvitedCount] = []
    for unit in units:
        services_of_unit = [s.service_type for s in unit.services.select_related("service_type")]
        for audience, questionnaire in (
            (Audience.USERS, round_.questionnaire),
            (Audience.RELATIVES, round_.relatives_questionnaire),
        ):
            assert questionnaire is not None  # noqa: S101 (the demo has both)
            spec = questionnaire.spec
            count = SMALL.get(unit.code, rng.randint(14, 45))
            if audience == Audience.RELATIVES:
                count = SMALL.get(unit.code, rng.randint(5, 16))
            per_service: dict[int | None, int] = {}
            for _i in range(count):
                service = rng.choice(services_of_unit) if services_of_unit else None
                key = service.pk if service else None
                per_service[key] = per_service.get(key, 0) + 1
                scores, importance = _one(spec, levels[unit.pk] + better, rng)
                response = Response(
                    id=uuid.uuid4(),
                    round=round_,
                    questionnaire=questionnaire,
                    audience=audience,
                    unit=unit,
                    service_type=service,
                    mode=Mode.WEB if rng.random() < 0.8 else Mode.PAPER,
                    submitted_on=round_.opens_at.date() + timedelta(days=rng.randint(0, days)),
                    scores=scores,
                    importance=importance,
                )
                responses.append(response)
                if rng.random() < 0.12:
                    pool = FLAGGED if rng.random() < 0.15 else COMMENTS
                    texts.append(
                        ResponseText(response=response, key="kommentar", text=rng.choice(pool))
                    )
            for service_pk, answered in per_service.items():
                invited.append(
                    InvitedCount(
                        round=round_,
                        unit=unit,
                        service_type_id=service_pk,
                        audience=audience,
                        invited=answered + rng.randint(answered // 2, answered + 2),
                    )
                )
    Response.objects.bulk_create(responses, batch_size=1000)
    ResponseText.objects.bulk_create(texts, batch_size=1000)
    InvitedCount.objects.bulk_create(invited, batch_size=1000)


def _one(spec: object, level: float, rng: random.Random) -> tuple[str, str]:
    """One respondent's answer strings: a point per statement, "0" for "vet ikke"."""
    statements = spec.statements  # type: ignore[attr-defined]
    points = spec.scale.points  # type: ignore[attr-defined]
    personal = rng.gauss(0, 0.5)
    scores, importance = [], []
    for position, statement in enumerate(statements):
        digital = position >= len(statements) - 5  # the last statements are the digital ones
        if rng.random() < (0.18 if digital else 0.05):
            scores.append("0")
        elif rng.random() < 0.02:
            scores.append("-")
        else:
            mean = (3.1 if digital else 3.9) + level + personal
            scores.append(str(max(1, min(points, round(rng.gauss(mean, 0.9))))))
        if statement.importance:
            importance.append(
                str(max(1, min(5, round(rng.gauss(4.3 if position < 8 else 3.8, 0.7)))))
            )
        else:
            importance.append("-")
    return "".join(scores), "".join(importance)


def _screen(round_: Round) -> None:
    """Approve the plain comments; leave the ones with personal data for the adviser."""
    for review in CommentReview.objects.filter(round=round_).select_related("text"):
        if not review.flags and review.text.text not in FLAGGED:
            services.comment_review(actor=None, review=review, decision="approve")
