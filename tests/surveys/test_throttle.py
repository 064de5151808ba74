"""The throttle: per-client limits, a municipality budget that only stops clients that have
failed recently, and right codes that never count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from medvirk.surveys import throttle

START = datetime(2026, 10, 17, 8, 0, tzinfo=UTC)
POLICY = throttle.Policy(
    client=throttle.Limit(10, timedelta(minutes=10)),
    budget=throttle.Limit(5, timedelta(hours=1)),
    memory=timedelta(days=1),
)


def keys(client: str) -> throttle.Keys:
    return throttle.Keys(client=f"client:{client}", municipality="municipality:1")


def fail(store: throttle.MemoryStore, client: str, times: int, at: datetime) -> int:
    """``times`` wrong codes from ``client``; how many were let through to be looked up."""
    return sum(throttle.admit(store, POLICY, keys(client), at).admitted for _ in range(times))


def test_a_client_under_its_limit_is_let_through():
    store = throttle.MemoryStore()
    fail(store, "a", 4, START)

    assert throttle.admit(store, POLICY, keys("a"), START).admitted


def test_a_client_at_its_limit_is_refused_until_its_window_ends():
    policy = throttle.Policy(
        client=throttle.Limit(3, timedelta(minutes=10)),
        budget=throttle.Limit(100, timedelta(hours=1)),
        memory=timedelta(days=1),
    )
    store = throttle.MemoryStore()
    for _ in range(3):
        throttle.admit(store, policy, keys("a"), START)

    decision = throttle.admit(store, policy, keys("a"), START + timedelta(minutes=1))

    assert (decision.admitted, decision.until) == (False, START + timedelta(minutes=10))


def test_the_next_client_window_starts_afresh():
    policy = throttle.Policy(
        client=throttle.Limit(3, timedelta(minutes=10)),
        budget=throttle.Limit(100, timedelta(hours=1)),
        memory=timedelta(days=1),
    )
    store = throttle.MemoryStore()
    for _ in range(3):
        throttle.admit(store, policy, keys("a"), START)

    assert throttle.admit(store, policy, keys("a"), START + timedelta(minutes=10)).admitted


def test_with_the_budget_used_up_a_client_that_failed_waits_for_the_budget():
    store = throttle.MemoryStore()
    fail(store, "a", 5, START)

    decision = throttle.admit(store, POLICY, keys("a"), START + timedelta(minutes=30))

    assert (decision.admitted, decision.until) == (False, START + timedelta(hours=1))


def test_with_the_budget_used_up_a_client_without_failures_is_let_through():
    store = throttle.MemoryStore()
    fail(store, "a", 5, START)

    assert throttle.admit(store, POLICY, keys("fresh"), START + timedelta(minutes=30)).admitted


def test_with_the_budget_used_up_a_new_client_gets_one_try_a_day():
    store = throttle.MemoryStore()
    fail(store, "a", 5, START)

    let_through = fail(store, "b", 10, START + timedelta(minutes=1))

    assert let_through == 1


def test_a_right_code_is_forgiven_and_leaves_its_client_unmarked():
    store = throttle.MemoryStore()
    fail(store, "a", 5, START)  # the budget is used up
    now = START + timedelta(minutes=5)
    assert throttle.admit(store, POLICY, keys("genuine"), now).admitted
    throttle.forgive(store, POLICY, keys("genuine"), now)

    assert throttle.admit(store, POLICY, keys("genuine"), now).admitted


def test_a_right_code_does_not_use_up_the_budget():
    store = throttle.MemoryStore()
    for n in range(20):
        throttle.admit(store, POLICY, keys(f"genuine-{n}"), START)
        throttle.forgive(store, POLICY, keys(f"genuine-{n}"), START)
    fail(store, "a", 1, START)

    assert throttle.admit(store, POLICY, keys("a"), START).admitted


def test_attempts_made_in_parallel_are_counted_before_they_are_let_through():
    # Two requests of one client read the counts before either is counted: a store that
    # records the second attempt between the first one's reading and its counting.
    class Racing(throttle.MemoryStore):
        raced = False

        def add_failure(self, key: str, window_start: datetime) -> None:
            if not self.raced:
                self.raced = True
                other = throttle.MemoryStore()
                other.counts = self.counts
                throttle.admit(other, POLICY, keys("a"), START)
            super().add_failure(key, window_start)

    store = Racing()
    store.raced = True
    fail(store, "x", 5, START)  # the budget is used up
    store.raced = False

    assert throttle.admit(store, POLICY, keys("a"), START).admitted is False


def test_most_in_a_period_counts_a_window_more_than_fit():
    assert throttle.Limit(10, timedelta(minutes=1)).most_in(timedelta(minutes=3)) == 40


@settings(max_examples=60, deadline=None)
@given(
    attempts=st.lists(
        st.tuples(st.integers(0, 7), st.integers(0, 3 * 24 * 3600)), min_size=1, max_size=400
    )
)
def test_failures_looked_up_never_exceed_the_bound(attempts):
    store = throttle.MemoryStore()
    period = timedelta(days=3)

    looked_up = sum(
        throttle.admit(store, POLICY, keys(str(client)), START + timedelta(seconds=second)).admitted
        for client, second in sorted(attempts, key=lambda a: a[1])
    )

    assert looked_up <= POLICY.most_looked_up(period, clients=8)
