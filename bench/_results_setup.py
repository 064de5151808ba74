"""Prepare the results benchmark's database: a synthetic national survey year.

``M`` municipalities (356 by default), each with the service area 05, a few districts and
about 28 units (10,000 in all), and one more municipality of 40 units for the municipal
case. Every municipality has two closed, purged rounds of the built-in questionnaire
``hso-brukerundersokelse-2016``: last year's, whose results are computed here (so that the
timed run has something to compare with), and this year's, which the benchmark times.

The data is skewed the way real rounds are: municipalities differ in size, units' response
counts come from a log-normal distribution (so some units have fewer than ``min_n``
respondents and suppression really happens), every unit delivers one to four services of the
built-in catalogue and a few respondents give none. Answers are drawn with numpy: a unit
effect, a statement effect, a respondent effect and noise on the 1–5 scale, statement-specific
shares of "don't know" and of no answer, importance ratings skewed high. Responses of a round
are written in a random order across municipalities, as submissions interleave in real life.

Municipalities, districts, rounds go through the services; units, their services, responses
and invited counts through the ORM's ``bulk_create`` or, for the responses, straight to the
database (PostgreSQL ``COPY``, SQLite ``executemany`` in one transaction). Progress goes to
stderr; a JSON summary to stdout.

Run by bench/results.py in a subprocess: ``python -m bench._results_setup MUNICIPALITIES
RESPONSES UNITS MUNICIPAL_UNITS MUNICIPAL_RESPONSES SEED`` with DJANGO_SETTINGS_MODULE and
DATABASE_URL set.
"""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import django
import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    # Imported for real after django.setup(), inside the functions.
    from medvirk.organisation.models import ServiceArea
    from medvirk.surveys.models import InvitedCount, Questionnaire

OSLO = ZoneInfo("Europe/Oslo")
PREVIOUS = "Brukerundersøkelse 2025"
CURRENT = "Brukerundersøkelse 2026"
QUESTIONNAIRE = "hso-brukerundersokelse-2016"
MUNICIPAL_SLUG = "mellomstad"
MUNICIPAL_NUMBER = "9001"
ROUND_DATES = {
    PREVIOUS: datetime(2025, 3, 3, 9, 0, tzinfo=OSLO),
    CURRENT: datetime(2026, 3, 2, 9, 0, tzinfo=OSLO),
}
ROUND_DAYS = 21
CHUNK = 100_000
# Built-in service types units deliver, with how common each is (home nursing is everywhere).
SERVICE_WEIGHTS = {
    "home_nursing": 10.0,
    "practical_assistance": 8.0,
    "nursing_home_long_term": 8.0,
    "nursing_home_short_term": 5.0,
    "day_centre": 5.0,
    "sheltered_housing": 4.0,
    "mental_health": 4.0,
    "substance_abuse": 2.5,
    "adapted_services": 3.0,
    "respite_care": 2.0,
    "rehabilitation": 2.0,
    "safety_alarm": 2.0,
    "personal_assistance": 1.5,
    "nav_social_services": 1.5,
    "physio_occupational_therapy": 1.5,
    "preventive_home_visits": 1.0,
    "palliative_care": 1.0,
    "acute_beds": 0.5,
    "housing_services": 0.5,
}
# The responses table's columns, in the order the rows are written.
RESPONSE_COLUMNS = [
    "id",
    "round_id",
    "questionnaire_id",
    "audience",
    "unit_id",
    "service_type_id",
    "mode",
    "on_behalf",
    "submitted_on",
    "scores",
    "importance",
]
IntArray = npt.NDArray[np.int64]


def log(message: str) -> None:
    print(f"results setup: {message}", file=sys.stderr, flush=True)


@dataclass
class Plan:
    """The organisation and how answers are drawn, as arrays over units (index u)."""

    municipalities: int  # national ones; index ``municipalities`` is the municipal case
    unit_municipality: IntArray  # (U,)
    unit_district: IntArray  # (U,) district number inside its municipality, -1 for none
    districts: IntArray  # (M + 1,) districts per municipality
    unit_services: IntArray  # (U, 4) index into SERVICE_WEIGHTS, -1 where fewer
    service_cumulative: npt.NDArray[np.float64]  # (U, 4) cumulative choice weights
    unit_effect: npt.NDArray[np.float64]  # (U,)
    size: dict[str, npt.NDArray[np.float64]]  # round name -> (U,) relative response weight


def make_plan(
    rng: np.random.Generator, municipalities: int, units: int, municipal_units: int
) -> Plan:
    # Units per municipality: log-normal around the mean, at least 8; the municipal case last.
    raw = rng.lognormal(0.0, 0.45, municipalities)
    per = np.maximum(8, np.round(raw / raw.sum() * units)).astype(np.int64)
    per = np.append(per, municipal_units)
    unit_municipality = np.repeat(np.arange(per.size), per)
    count = unit_municipality.size
    districts = np.clip(per // 6, 2, 8)
    # About one unit in six serves the whole municipality (no district); the others are in a
    # district, each district getting at least one.
    unit_district = np.full(count, -1, dtype=np.int64)
    start = 0
    for m, n in enumerate(per):
        local = rng.integers(0, districts[m], n)
        local[: districts[m]] = np.arange(districts[m])
        central = rng.random(n) < 0.17
        central[: districts[m]] = False
        local[central] = -1
        unit_district[start : start + n] = rng.permutation(local)
        start += n
    names = list(SERVICE_WEIGHTS)
    popularity = np.array([SERVICE_WEIGHTS[name] for name in names])
    popularity /= popularity.sum()
    how_many = rng.choice([1, 2, 3, 4], size=count, p=[0.35, 0.35, 0.2, 0.1])
    unit_services = np.full((count, 4), -1, dtype=np.int64)
    cumulative = np.ones((count, 4))
    for u in range(count):
        k = int(how_many[u])
        unit_services[u, :k] = rng.choice(len(names), size=k, replace=False, p=popularity)
        share = rng.dirichlet(np.full(k, 1.5))
        cumulative[u, :k] = np.cumsum(share)
    cumulative[:, -1] = 1.0
    unit_effect = rng.normal(0.0, 0.3, count)
    # Respondents per unit: heavy-tailed (log-normal, sigma 1.3), the same units big or small
    # in both years but not exactly the same sizes.
    base = rng.lognormal(0.0, 1.3, count)
    size = {PREVIOUS: base * rng.lognormal(0.0, 0.25, count), CURRENT: base}
    return Plan(
        municipalities=municipalities,
        unit_municipality=unit_municipality,
        unit_district=unit_district,
        districts=districts,
        unit_services=unit_services,
        service_cumulative=cumulative,
        unit_effect=unit_effect,
        size=size,
    )


def respondents(
    rng: np.random.Generator, plan: Plan, name: str, national: int, municipal: int
) -> IntArray:
    """How many respond per unit in a round: ``national`` over the national municipalities'
    units, ``municipal`` over the municipal case's."""
    weight = plan.size[name]
    is_municipal = plan.unit_municipality == plan.municipalities
    out = np.zeros(weight.size, dtype=np.int64)
    for mask, total in ((~is_municipal, national), (is_municipal, municipal)):
        w = weight[mask]
        out[mask] = rng.multinomial(total, w / w.sum())
    return out


@dataclass
class Spec:
    width: int
    importance: npt.NDArray[np.bool_]  # (width,) statements with an importance rating
    points: int
    importance_points: int


def answers(
    rng: np.random.Generator,
    plan: Plan,
    spec: Spec,
    units: IntArray,
) -> tuple[IntArray, list[str], list[str]]:
    """Service index (-1 none) and the answer strings of respondents at ``units``."""
    n = units.size
    pick = (rng.random(n)[:, None] > plan.service_cumulative[units]).sum(axis=1)
    service = plan.unit_services[units, np.minimum(pick, 3)]
    service[rng.random(n) < 0.04] = -1
    width = spec.width
    statement = np.linspace(0.35, -0.45, width) + rng.normal(0.0, 0.1, width)
    latent = (
        3.85
        + plan.unit_effect[units][:, None]
        + statement[None, :]
        + rng.normal(0.0, 0.6, (n, 1))
        + rng.normal(0.0, 0.8, (n, width))
    )
    scores = np.clip(np.rint(latent), 1, spec.points).astype(np.uint8) + ord("0")
    dont_know = np.linspace(0.02, 0.14, width)[rng.permutation(width)]
    scores[rng.random((n, width)) < dont_know[None, :]] = ord("0")
    scores[rng.random((n, width)) < 0.03] = ord("-")
    importance = np.clip(
        np.rint(4.2 + rng.normal(0.0, 0.4, (n, 1)) + rng.normal(0.0, 0.7, (n, width))),
        1,
        spec.importance_points,
    ).astype(np.uint8) + ord("0")
    importance[rng.random((n, width)) < 0.06] = ord("-")
    importance[:, ~spec.importance] = ord("-")
    return service, _strings(scores), _strings(importance)


def _strings(matrix: npt.NDArray[np.uint8]) -> list[str]:
    width = matrix.shape[1]
    text = matrix.tobytes().decode("ascii")
    return [text[i : i + width] for i in range(0, len(text), width)]


@dataclass
class Phases:
    """How long each step of the setup took, logged as each ends."""

    seconds: dict[str, float] = field(default_factory=dict)
    mark: float = field(default_factory=time.perf_counter)

    def end(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name] = now - self.mark
        log(f"{name}: {now - self.mark:.1f} s")
        self.mark = now


@dataclass
class Target:
    """What the responses refer to: the questionnaire and the rows made for the plan."""

    questionnaire: Questionnaire
    unit_ids: IntArray  # (U,) Unit pk
    type_ids: IntArray  # index into SERVICE_WEIGHTS -> ServiceType pk
    round_ids: dict[str, list[int]]  # round name -> Round pk per municipality, municipal last


def main(argv: list[str]) -> None:
    municipalities, responses, units, municipal_units, municipal_responses, seed = (
        int(a) for a in argv
    )
    django.setup()
    from django.db import connection, transaction

    from medvirk.organisation.models import ServiceType
    from medvirk.surveys import services as surveys
    from medvirk.surveys.models import InvitedCount, Questionnaire

    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    surveys.questionnaire_load_builtin()
    questionnaire = Questionnaire.objects.get(municipality=None, key=QUESTIONNAIRE)
    spec = _spec(questionnaire)
    plan = make_plan(rng, municipalities, units, municipal_units)
    types = {t.code: t for t in ServiceType.objects.filter(municipality__isnull=True)}
    type_ids = np.array([types[code].pk for code in SERVICE_WEIGHTS], dtype=np.int64)

    phases = Phases()
    with transaction.atomic():
        areas, district_ids = _municipalities(plan)
        unit_ids = _units(plan, areas, district_ids, type_ids)
        target = Target(questionnaire, unit_ids, type_ids, _rounds(questionnaire, areas))
    phases.end("organisation and rounds")
    invited, written = _responses(rng, plan, spec, target, responses, municipal_responses)
    phases.end("responses")
    InvitedCount.objects.bulk_create(invited, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    phases.end("invited counts and ANALYZE")
    _previous_results(target.round_ids[PREVIOUS])
    phases.end("previous results")
    if connection.vendor == "postgresql":
        # What autovacuum would have done long before results are computed: set hint bits and
        # the visibility map, and write the load out, so the timed run does not pay for it.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("CHECKPOINT")
        phases.end("VACUUM ANALYZE and CHECKPOINT")
    total = time.perf_counter() - started
    log(f"done in {total:.1f} s")
    json.dump(
        {
            "seconds": total,
            "phases": phases.seconds,
            "units": int(plan.unit_municipality.size),
            "municipalities": municipalities,
            "responses": written,
        },
        sys.stdout,
    )


def _spec(questionnaire: Questionnaire) -> Spec:
    parsed = questionnaire.spec
    return Spec(
        width=len(parsed.statements),
        importance=np.array([bool(s.importance) for s in parsed.statements]),
        points=parsed.scale.points,
        importance_points=parsed.importance.points if parsed.importance else 0,
    )


# --- organisation and rounds, through the services (units in bulk) -------------------------


def _municipalities(plan: Plan) -> tuple[list[ServiceArea], list[list[int]]]:
    """Every municipality with its service area 05 and districts; the municipal case last.
    Returns the service areas and each one's district pks."""
    from medvirk.organisation import services as organisation

    areas = []
    district_ids: list[list[int]] = []
    for m in range(plan.municipalities + 1):
        municipal = m == plan.municipalities
        municipality = organisation.municipality_create(
            actor=None,
            name="Mellomstad kommune" if municipal else f"Kommune {m + 1:03d}",
            slug=MUNICIPAL_SLUG if municipal else f"k{m + 1:03d}",
            number=MUNICIPAL_NUMBER if municipal else f"{m + 1001:04d}",
        )
        area = organisation.service_area_create(
            actor=None, municipality=municipality, code="05", name="Helse, sosial og omsorg"
        )
        areas.append(area)
        district_ids.append(
            [
                organisation.district_create(
                    actor=None, service_area=area, name=f"Distrikt {d + 1}", code=f"d{d + 1}"
                ).pk
                for d in range(int(plan.districts[m]))
            ]
        )
    return areas, district_ids


def _units(
    plan: Plan, areas: list[ServiceArea], district_ids: list[list[int]], type_ids: IntArray
) -> IntArray:
    """The plan's units and the services they deliver, in bulk; returns the units' pks."""
    from medvirk.organisation.models import Service, Unit

    Unit.objects.bulk_create(
        [
            Unit(
                service_area=areas[int(m)],
                district_id=district_ids[int(m)][int(d)] if d >= 0 else None,
                name=f"Virksomhet {u:05d}",
                code=f"v{u:05d}",
            )
            for u, (m, d) in enumerate(zip(plan.unit_municipality, plan.unit_district, strict=True))
        ],
        batch_size=2000,
    )
    by_code = dict(Unit.objects.filter(code__startswith="v").values_list("code", "pk"))
    unit_ids = np.array([by_code[f"v{u:05d}"] for u in range(plan.unit_municipality.size)])
    Service.objects.bulk_create(
        [
            Service(unit_id=int(unit_ids[u]), service_type_id=int(type_ids[s]))
            for u, row in enumerate(plan.unit_services)
            for s in row
            if s >= 0
        ],
        batch_size=5000,
    )
    return unit_ids


def _rounds(questionnaire: Questionnaire, areas: list[ServiceArea]) -> dict[str, list[int]]:
    """Last year's and this year's round in every service area, closed and purged."""
    from medvirk.organisation.models import Unit
    from medvirk.surveys import services as surveys
    from medvirk.surveys.models import Round

    unit_objects: dict[int, list[Unit]] = {}
    for unit in Unit.objects.filter(code__startswith="v").select_related("service_area"):
        unit_objects.setdefault(unit.service_area_id, []).append(unit)
    round_ids: dict[str, list[int]] = {PREVIOUS: [], CURRENT: []}
    for name in (PREVIOUS, CURRENT):
        opens = ROUND_DATES[name]
        for area in areas:
            round_ = surveys.round_create(
                actor=None,
                municipality=area.municipality,
                service_area=area,
                name=name,
                questionnaire=questionnaire,
                opens_at=opens,
                closes_at=opens + timedelta(days=ROUND_DAYS),
                units=unit_objects[area.pk],
                contact={"name": "Kari Nordmann", "phone": "32 04 01 00", "hours": "08–16"},
            )
            round_ids[name].append(round_.pk)
        closes = opens + timedelta(days=ROUND_DAYS)
        Round.objects.filter(pk__in=round_ids[name]).update(
            state=Round.State.CLOSED,
            opened_at=opens,
            closed_at=closes,
            purged_at=closes + timedelta(days=14),
        )
    return round_ids


# --- responses ---------------------------------------------------------------------------


def _responses(
    rng: np.random.Generator,
    plan: Plan,
    spec: Spec,
    target: Target,
    national: int,
    municipal: int,
) -> tuple[list[InvitedCount], int]:
    """Both rounds' responses, written; returns their invited counts (not yet saved) and how
    many responses were written."""
    from medvirk.surveys.models import Response

    columns = [f.column for f in Response._meta.concrete_fields]
    assert sorted(columns) == sorted(RESPONSE_COLUMNS), columns
    invited: list[InvitedCount] = []
    written = 0
    for name in (PREVIOUS, CURRENT):
        factor = 0.97 if name == PREVIOUS else 1.0
        counts = respondents(rng, plan, name, round(national * factor), round(municipal * factor))
        services_seen, written = _round_responses(rng, plan, spec, target, name, counts, written)
        invited += _invited(rng, plan, target, name, counts, services_seen)
    return invited, written


def _round_responses(
    rng: np.random.Generator,
    plan: Plan,
    spec: Spec,
    target: Target,
    name: str,
    counts: IntArray,
    written: int,
) -> tuple[IntArray, int]:
    """One round's responses, ``counts`` per unit, written in random order a chunk at a time
    after the ``written`` before them. Returns the respondents per unit and service (column 0
    for none, then SERVICE_WEIGHTS' order) and the responses written in all."""
    from django.db import connection

    from medvirk.surveys import answers as encoding
    from medvirk.surveys.models import Response

    table = Response._meta.db_table
    rounds = np.array(target.round_ids[name], dtype=np.int64)
    type_ids = target.type_ids
    order = rng.permutation(np.repeat(np.arange(counts.size), counts))
    first_day = ROUND_DATES[name].date()
    services_seen = np.zeros((counts.size, len(type_ids) + 1), dtype=np.int64)
    for chunk in range(0, order.size, CHUNK):
        units_here = order[chunk : chunk + CHUNK]
        service, scores, importance = answers(rng, plan, spec, units_here)
        np.add.at(services_seen, (units_here, service + 1), 1)
        rows = _rows(
            rng,
            first_day,
            rounds[plan.unit_municipality[units_here]],
            int(target.questionnaire.pk),
            target.unit_ids[units_here],
            np.where(service >= 0, type_ids[np.maximum(service, 0)], -1),
            scores,
            importance,
        )
        if chunk == 0:
            for _id, *_rest, s, i in rows[:1000]:
                assert encoding.is_valid(target.questionnaire.spec, s, i), (s, i)
        _write(connection, table, RESPONSE_COLUMNS, rows)
        written += len(rows)
        log(f"{name}: {written:,} responses written")
    return services_seen, written


def _invited(
    rng: np.random.Generator,
    plan: Plan,
    target: Target,
    name: str,
    counts: IntArray,
    services_seen: IntArray,
) -> list[InvitedCount]:
    """Invited per unit and service: the respondents over a response rate of 35–75 %, and a
    few invited groups where nobody answered."""
    from medvirk.surveys.models import Audience, InvitedCount

    rounds = np.array(target.round_ids[name], dtype=np.int64)
    rate = rng.uniform(0.35, 0.75, counts.size)
    invited = []
    for u, s in zip(*np.nonzero(services_seen), strict=True):
        got = int(services_seen[u, s])
        invited.append(
            InvitedCount(
                round_id=int(rounds[plan.unit_municipality[u]]),
                unit_id=int(target.unit_ids[u]),
                service_type_id=int(target.type_ids[s - 1]) if s else None,
                audience=Audience.USERS,
                invited=max(got, math.ceil(got / rate[u])),
            )
        )
    for u in np.flatnonzero(counts == 0):
        invited.append(
            InvitedCount(
                round_id=int(rounds[plan.unit_municipality[u]]),
                unit_id=int(target.unit_ids[u]),
                service_type_id=int(target.type_ids[plan.unit_services[u, 0]]),
                audience=Audience.USERS,
                invited=int(rng.integers(1, 8)),
            )
        )
    return invited


def _previous_results(round_ids: list[int]) -> None:
    """Last year's results, so this year's are compared with them."""
    from medvirk.results.services import results_compute
    from medvirk.surveys.models import Round

    previous = list(
        Round.objects.filter(pk__in=round_ids)
        .select_related("municipality", "service_area", "questionnaire")
        .order_by("pk")
    )
    for done, round_ in enumerate(previous, start=1):
        results_compute(actor=None, round_=round_)
        if done % 50 == 0 or done == len(previous):
            log(f"previous results: {done} of {len(previous)} rounds")


def _rows(
    rng: np.random.Generator,
    first_day: date,
    rounds: IntArray,
    questionnaire: int,
    units: IntArray,
    services: IntArray,
    scores: list[str],
    importance: list[str],
) -> list[tuple[Any, ...]]:
    n = units.size
    ids = rng.bytes(16 * n).hex()
    modes = np.where(rng.random(n) < 0.8, "web", "paper")
    on_behalf = rng.random(n) < 0.1
    days = [(first_day + timedelta(days=d)).isoformat() for d in range(ROUND_DAYS)]
    day = rng.integers(0, ROUND_DAYS, n)
    # Sorted by id: the rows stay in random order across municipalities and units, but the
    # primary key index is filled in order, which halves the time PostgreSQL takes to load.
    return sorted(
        (
            ids[32 * i : 32 * i + 32],
            int(rounds[i]),
            questionnaire,
            "users",
            int(units[i]),
            int(services[i]) if services[i] >= 0 else None,
            str(modes[i]),
            bool(on_behalf[i]),
            days[day[i]],
            scores[i],
            importance[i],
        )
        for i in range(n)
    )


def _write(connection: Any, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Rows straight into the table: COPY on PostgreSQL, executemany on SQLite."""
    from django.db import transaction

    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for block in _text_blocks(rows):
                    copy.write(block)
        return
    connection.ensure_connection()
    raw = connection.connection  # the sqlite3 connection
    # A page cache big enough for the indexes while loading: this connection only, so the
    # timed runs get SQLite's default.
    raw.execute("PRAGMA cache_size = -1048576")
    with transaction.atomic():
        marks = ", ".join("?" for _ in columns)
        insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608 (names from the model)
        raw.executemany(insert, rows)


def _text_blocks(rows: list[tuple[Any, ...]]) -> Iterator[str]:
    """COPY text format, 10,000 rows a block (no value here needs escaping)."""
    null, true, false = "\\N", "t", "f"
    for start in range(0, len(rows), 10_000):
        yield "".join(
            f"{i}\t{r}\t{q}\t{a}\t{u}\t{null if s is None else s}\t{m}\t{true if b else false}"
            f"\t{d}\t{sc}\t{im}\n"
            for i, r, q, a, u, s, m, b, d, sc, im in rows[start : start + 10_000]
        )


if __name__ == "__main__":
    main(sys.argv[1:])
