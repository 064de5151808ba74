"""The throttle counts failures per key in fixed windows and refuses when one is used up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from medvirk.surveys import throttle

START = datetime(2026, 10, 17, 8, 0, tzinfo=UTC)
TEN_A_MINUTE = throttle.Limit(10, timedelta(minutes=1))


def fail(store: throttle.MemoryStore, times: int, at: datetime, key: str = "client:a") -> None:
    for _ in range(times):
        throttle.record_failure(store, [(key, TEN_A_MINUTE)], at)


def test_a_key_under_its_limit_is_let_through():
    store = throttle.MemoryStore()
    fail(store, 9, START)

    assert throttle.blocked_until(store, [("client:a", TEN_A_MINUTE)], START) is None


def test_a_key_at_its_limit_is_refused_until_the_window_ends():
    store = throttle.MemoryStore()
    fail(store, 10, START + timedelta(seconds=5))

    until = throttle.blocked_until(
        store, [("client:a", TEN_A_MINUTE)], START + timedelta(seconds=6)
    )

    assert until == START + timedelta(minutes=1)


def test_the_next_window_starts_afresh():
    store = throttle.MemoryStore()
    fail(store, 10, START)

    assert (
        throttle.blocked_until(store, [("client:a", TEN_A_MINUTE)], START + timedelta(minutes=1))
        is None
    )


def test_another_key_is_not_affected():
    store = throttle.MemoryStore()
    fail(store, 10, START)

    assert throttle.blocked_until(store, [("client:b", TEN_A_MINUTE)], START) is None


def test_the_longest_window_used_up_decides_when():
    hourly = throttle.Limit(2, timedelta(hours=1))
    store = throttle.MemoryStore()
    rules = [("client:a", TEN_A_MINUTE), ("municipality:1", hourly)]
    throttle.record_failure(store, rules, START)
    throttle.record_failure(store, rules, START)

    assert throttle.blocked_until(store, rules, START) == START + timedelta(hours=1)


def test_most_in_a_period_counts_a_window_more_than_fit():
    assert TEN_A_MINUTE.most_in(timedelta(minutes=3)) == 40
