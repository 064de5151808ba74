"""Guessing codes from a thousand addresses finds none, and locks no respondent out.

A round of 50,000 codes is open for as long as the seed's (Monday 17 October 08:00 to
Friday 4 November 23:59). An attacker with 1,000 addresses guesses as fast as the throttle
lets each address, the whole time, with guesses whose check character fits (the
algorithm is public). Meanwhile 2,000 genuine respondents type the codes from their
letters, at random moments, from addresses of their own or a care home's shared one; one
in ten first mistypes a character. Every attempt goes through the real throttle with the
default settings; the genuine ones through the real ``code_check``, the attacker's looked
up in batches the way ``code_check`` looks them up (for speed).

Two figures come out (docs/surveys.md quotes them): the guesses looked up, with the
chance that any of them was someone's code, and the genuine respondents let in.
"""

from __future__ import annotations

import heapq
import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from medvirk.surveys import codes, services, throttle
from medvirk.surveys.models import AccessCode, Recipient, Round

from .conftest import make_round

OSLO = ZoneInfo("Europe/Oslo")
OPENS = datetime(2026, 10, 17, 8, 0, tzinfo=OSLO)
CLOSES = datetime(2026, 11, 4, 23, 59, tzinfo=OSLO)
CODES = 50_000
ATTACKERS = 1_000
GENUINE = 2_000
CARE_HOME = 40  # genuine respondents who answer on the care home's one connection


@dataclass
class Outcome:
    looked_up: list[str] = field(default_factory=list)  # the attacker's guesses looked up
    refused_attempts: int = 0
    genuine_let_in: int = 0
    genuine_typos_caught: int = 0

    def chance_of_any_hit(self, codes_in_round: int) -> float:
        per_guess = codes_in_round / 2**codes.BITS
        return -math.expm1(len(self.looked_up) * math.log1p(-per_guess))


@pytest.fixture
def big_round(world, questionnaires) -> Round:
    round_ = make_round(world, questionnaires, units=[world.unit])
    services.recipients_create(
        round_=round_,
        recipients=[
            Recipient(
                unit=world.unit,
                name=f"Person {i}",
                street_address=f"Gate {i}",
                postal_code="3045",
                place="Drammen",
            )
            for i in range(CODES)
        ],
    )
    services.round_open(actor=None, round_=round_)
    Round.objects.filter(pk=round_.pk).update(opens_at=OPENS, closes_at=CLOSES)
    return Round.objects.get(pk=round_.pk)


def mistyped(code: str, rng: random.Random) -> str:
    position = rng.randrange(len(code))
    wrong = rng.choice([c for c in codes.ALPHABET if c != code[position]])
    return code[:position] + wrong + code[position + 1 :]


def simulate(world, round_: Round, rng: random.Random) -> Outcome:
    policy = services.throttle_policy()
    store = throttle.MemoryStore()
    outcome = Outcome()
    round_codes = services.round_codes(round_)
    chosen = Recipient.objects.filter(round=round_).order_by("?")[:GENUINE]
    letters = [codes.display(round_codes.code_of(r)) for r in chosen]
    # (time, order, who, what): "a" an attacker's address, "g" a genuine respondent.
    events: list[tuple[datetime, int, str, int]] = []
    seconds = int((CLOSES - OPENS).total_seconds())
    for n in range(ATTACKERS):
        events.append((OPENS + timedelta(seconds=rng.randrange(60)), len(events), "a", n))
    for n in range(GENUINE):
        events.append((OPENS + timedelta(seconds=rng.randrange(seconds)), len(events), "g", n))
    heapq.heapify(events)
    attackers = [
        services.throttle_keys(world.alpha, services.client_key(f"198.51.{n // 250}.{n % 250}"))
        for n in range(ATTACKERS)
    ]
    while events:
        now, order, who, n = heapq.heappop(events)
        if now >= CLOSES:
            continue
        if who == "g":
            address = "192.0.2.1" if n < CARE_HOME else f"10.{n // 250}.{n % 250}.7"
            client = services.client_key(address)
            if rng.random() < 0.1:
                typo = services.code_check(
                    municipality=world.alpha,
                    typed=mistyped(letters[n], rng),
                    client=client,
                    now=now,
                    store=store,
                )
                outcome.genuine_typos_caught += typo.typo
            check = services.code_check(
                municipality=world.alpha, typed=letters[n], client=client, now=now, store=store
            )
            outcome.genuine_let_in += check.access_code is not None
            continue
        decision = throttle.admit(store, policy, attackers[n], now)
        if decision.admitted:
            outcome.looked_up.append(codes.random_code())
            retry = now + timedelta(seconds=1)
        else:
            outcome.refused_attempts += 1
            assert decision.until is not None
            retry = decision.until
        heapq.heappush(events, (retry, order, who, n))
    return outcome


def hits_of(round_: Round, guesses: list[str]) -> set[str]:
    round_codes = services.round_codes(round_)
    lookups = [round_codes.lookup_of(guess) for guess in guesses]
    found: set[str] = set()
    for start in range(0, len(lookups), 5000):
        batch = lookups[start : start + 5000]
        found |= {
            str(pk)
            for pk in AccessCode.objects.filter(round=round_, lookup__in=batch).values_list(
                "pk", flat=True
            )
        }
    return found


def test_a_thousand_guessing_addresses_find_no_code_and_lock_nobody_out(world, big_round):
    outcome = simulate(world, big_round, random.Random(12))  # noqa: S311 (simulated people)
    bound = services.throttle_policy().most_looked_up(CLOSES - OPENS, clients=ATTACKERS)
    chance = outcome.chance_of_any_hit(CODES)
    # The figures docs/surveys.md quotes, shown with whichever of them fails.
    figures = (
        f"guesses looked up: {len(outcome.looked_up):,} (refused attempts: "
        f"{outcome.refused_attempts:,}); chance of any hit among {CODES:,} codes: {chance:.1e}; "
        f"genuine respondents let in: {outcome.genuine_let_in:,} of {GENUINE:,}"
    )

    assert AccessCode.objects.filter(round=big_round).count() == CODES
    assert hits_of(big_round, outcome.looked_up) == set()
    assert len(outcome.looked_up) <= bound, figures
    assert chance < 1e-6, figures
    # The budget was used up nearly all the time, so letting everybody in proves something.
    assert outcome.refused_attempts > ATTACKERS * 24 * 14, figures
    assert outcome.genuine_typos_caught > GENUINE // 20
    assert outcome.genuine_let_in == GENUINE, figures


def test_the_bound_itself_keeps_the_chance_below_one_in_a_million():
    # Whatever the attacker does with 1,000 addresses, not only what the simulated one did.
    bound = services.throttle_policy().most_looked_up(CLOSES - OPENS, clients=ATTACKERS)

    chance = -math.expm1(bound * math.log1p(-CODES / 2**codes.BITS))

    assert chance < 1e-6
