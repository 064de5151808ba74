"""Throttling of code guesses, so that guessing finds no code and locks nobody out.

Only failed attempts count, in fixed time windows, under three keys:

- the client (one IPv4 address, or one IPv6 /64): at most ``client.failures`` per window;
- the municipality: a budget of ``budget.failures`` per window for all clients together;
- the client's memory: whether it has failed at all within the current ``memory`` window.

While the municipality's budget is used up, only clients that have failed recently are
refused. A client with no recent failures is always let through, so a genuine respondent
typing the code from their letter is never refused because someone else is guessing; its
first wrong code, though, marks it, and then it waits for the budget like everyone else.
Over a period, the guesses looked up are therefore at most

    budget.most_in(period) + clients × memory windows in the period

whatever the attacker does; ``most_looked_up`` says exactly that.

An attempt is counted *before* the code is looked up and forgiven (``forgive``) when the
code was right: counted after, parallel requests from one client could all pass the check
before any of them was counted. Counting first and reading back means at most the limit's
number of attempts of a window can have been let through and stayed counted.

Pure code: the counts live in a ``Store`` (the database in production, a dict in tests).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol


@dataclass(frozen=True)
class Limit:
    failures: int
    window: timedelta

    def window_start(self, now: datetime) -> datetime:
        seconds = int(self.window.total_seconds())
        epoch = int(now.timestamp())
        return datetime.fromtimestamp(epoch - epoch % seconds, tz=UTC)

    def windows_in(self, period: timedelta) -> int:
        """How many windows a period can touch (one more than fit, however it is placed)."""
        return -(-period // self.window) + 1

    def most_in(self, period: timedelta) -> int:
        """The most failures this limit lets through in ``period``, however they are timed."""
        return self.failures * self.windows_in(period)


@dataclass(frozen=True)
class Policy:
    client: Limit  # per client
    budget: Limit  # per municipality, for all clients together
    memory: timedelta  # how long a failure marks its client as one that has failed

    @property
    def recent(self) -> Limit:
        return Limit(1, self.memory)

    def most_looked_up(self, period: timedelta, clients: int) -> int:
        """The most guesses that can be looked up in ``period`` from ``clients`` clients."""
        return min(
            clients * self.client.most_in(period),
            self.budget.most_in(period) + clients * self.recent.most_in(period),
        )


@dataclass(frozen=True)
class Keys:
    client: str
    municipality: str

    @property
    def memory(self) -> str:
        return f"recent:{self.client}"


@dataclass(frozen=True)
class Decision:
    admitted: bool
    until: datetime | None = None  # when to try again, if refused
    budget_used_up: bool = False  # the municipality's budget was used up by this attempt


class Store(Protocol):
    def failures_of(self, windows: Sequence[tuple[str, datetime]]) -> list[int]:
        """The counts of several windows at once (one look-up in the database)."""
        ...

    def add_failure(self, key: str, window_start: datetime) -> None: ...

    def remove_failure(self, key: str, window_start: datetime) -> None: ...


def _windows(policy: Policy, keys: Keys, now: datetime) -> list[tuple[str, datetime]]:
    return [
        (keys.client, policy.client.window_start(now)),
        (keys.municipality, policy.budget.window_start(now)),
        (keys.memory, policy.recent.window_start(now)),
    ]


def _refused_until(
    policy: Policy, now: datetime, client: int, budget: int, recent: int
) -> datetime | None:
    """Given the failures counted before an attempt, until when it must wait (or None)."""
    if client >= policy.client.failures:
        return policy.client.window_start(now) + policy.client.window
    if budget >= policy.budget.failures and recent >= 1:
        return policy.budget.window_start(now) + policy.budget.window
    return None


def admit(store: Store, policy: Policy, keys: Keys, now: datetime) -> Decision:
    """Let an attempt be looked up, or say until when it must wait.

    An admitted attempt is counted as a failure at once; ``forgive`` takes it back when
    the code turns out right.
    """
    windows = _windows(policy, keys, now)
    until = _refused_until(policy, now, *store.failures_of(windows))
    if until is not None:
        return Decision(admitted=False, until=until)
    for key, start in windows:
        store.add_failure(key, start)
    client, budget, recent = store.failures_of(windows)
    # Read back after counting: attempts made in parallel count as made before this one.
    until = _refused_until(policy, now, client - 1, budget - 1, recent - 1)
    if until is not None:
        return Decision(admitted=False, until=until)
    return Decision(admitted=True, budget_used_up=budget == policy.budget.failures)


def forgive(store: Store, policy: Policy, keys: Keys, now: datetime) -> None:
    """Take back an admitted attempt whose code was right: right codes never count."""
    for key, start in _windows(policy, keys, now):
        store.remove_failure(key, start)


class MemoryStore:
    """Counts in a dict: for tests and benchmarks."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, datetime], int] = {}

    def failures_of(self, windows: Sequence[tuple[str, datetime]]) -> list[int]:
        return [self.counts.get(window, 0) for window in windows]

    def add_failure(self, key: str, window_start: datetime) -> None:
        self.counts[(key, window_start)] = self.counts.get((key, window_start), 0) + 1

    def remove_failure(self, key: str, window_start: datetime) -> None:
        if self.counts.get((key, window_start), 0) > 0:
            self.counts[(key, window_start)] -= 1
