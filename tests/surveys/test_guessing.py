"""Guessing codes: a million guesses against a round of 5,000 codes find none.

The attacker spreads a million random guesses evenly over the round's whole answering
window (as long as the seed's: Monday 17 October 08:00 to Friday 4 November 23:59) from
ten thousand addresses, so no single client limit stops them. The throttle of the real
``code_check`` decides which guesses are looked at; those are looked up in the database the
way ``code_check`` does it (keyed hash, recipient table), a batch at a time for speed.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from medvirk.surveys import codes, services, throttle
from medvirk.surveys.models import Recipient

from .conftest import import_people, make_round

OSLO = ZoneInfo("Europe/Oslo")
OPENS = datetime(2026, 10, 17, 8, 0, tzinfo=OSLO)
CLOSES = datetime(2026, 11, 4, 23, 59, tzinfo=OSLO)
GUESSES = 1_000_000
CLIENTS = 10_000
RECIPIENTS = 5_000


def five_thousand_recipients(world, questionnaires):
    round_ = make_round(world, questionnaires, units=[world.unit])
    rows = [f"Person {i};Gate {i};3045;Drammen;n-shj;;nb;nei" for i in range(RECIPIENTS)]
    import_people(round_, *rows)
    return round_


def attack(world) -> tuple[int, set[int]]:
    """Send every guess through the throttle; return how many were looked at, and hits."""
    store = throttle.MemoryStore()
    rng = random.Random(1)  # noqa: S311 (a simulated attacker)
    step = (CLOSES - OPENS) / GUESSES
    clients = [
        services.throttle_rules(world.alpha, services.client_key(f"198.51.{n // 256}.{n % 256}"))
        for n in range(CLIENTS)
    ]
    looked_at: list[str] = []
    for i in range(GUESSES):
        now = OPENS + i * step
        rules = clients[i % CLIENTS]
        if throttle.blocked_until(store, rules, now) is not None:
            continue
        guess = "".join(rng.choices(codes.ALPHABET, k=codes.LENGTH))
        looked_at.append(services.hash_of(guess))
        throttle.record_failure(store, rules, now)  # a hit would be reported below
    hits: set[int] = set()
    for start in range(0, len(looked_at), 5000):
        batch = looked_at[start : start + 5000]
        hits |= set(Recipient.objects.filter(code_hash__in=batch).values_list("pk", flat=True))
    return len(looked_at), hits


def test_a_million_guesses_against_5000_codes_find_none(world, questionnaires, settings):
    five_thousand_recipients(world, questionnaires)
    municipality_limit = throttle.Limit(
        settings.MEDVIRK_CODE_MUNICIPALITY_FAILURES,
        timedelta(seconds=settings.MEDVIRK_CODE_MUNICIPALITY_WINDOW),
    )

    looked_at, hits = attack(world)

    assert hits == set()
    assert looked_at <= municipality_limit.most_in(CLOSES - OPENS)
    # Even if every guess looked at were a fresh one, the chance of any hit stays tiny.
    assert looked_at * RECIPIENTS / len(codes.ALPHABET) ** codes.LENGTH < 0.001
