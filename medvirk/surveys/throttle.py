"""Throttling of code guesses: fixed time windows, counted per key.

Only failed attempts count, so respondents with a right code are never slowed. Once a key
has used up its failures for the current window, every attempt under that key is refused
without the code being looked at, until the window ends. Medvirk counts two keys for each
attempt: the client (a keyed hash of its address) and the whole municipality, so that many
clients together cannot guess faster than the municipality's limit either.

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

    def most_in(self, period: timedelta) -> int:
        """The most failures this limit lets through in ``period``, however they are timed."""
        windows = -(-period // self.window) + 1  # a period can touch one window more
        return self.failures * windows


class Store(Protocol):
    def failures(self, key: str, window_start: datetime) -> int: ...

    def failures_of(self, windows: Sequence[tuple[str, datetime]]) -> list[int]:
        """The counts of several windows at once (one look-up in the database)."""
        ...

    def add_failure(self, key: str, window_start: datetime) -> None: ...


Rule = tuple[str, Limit]


def blocked_until(store: Store, rules: Sequence[Rule], now: datetime) -> datetime | None:
    """When the attempt may be made, if not now: the end of the longest window used up."""
    until = None
    windows = [(key, limit.window_start(now)) for key, limit in rules]
    for (_key, limit), (_same, start), count in zip(
        rules, windows, store.failures_of(windows), strict=True
    ):
        if count >= limit.failures:
            end = start + limit.window
            until = end if until is None else max(until, end)
    return until


def record_failure(store: Store, rules: Sequence[Rule], now: datetime) -> None:
    for key, limit in rules:
        store.add_failure(key, limit.window_start(now))


class MemoryStore:
    """Counts in a dict: for tests and benchmarks."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, datetime], int] = {}

    def failures(self, key: str, window_start: datetime) -> int:
        return self.counts.get((key, window_start), 0)

    def failures_of(self, windows: Sequence[tuple[str, datetime]]) -> list[int]:
        return [self.counts.get(window, 0) for window in windows]

    def add_failure(self, key: str, window_start: datetime) -> None:
        self.counts[(key, window_start)] = self.counts.get((key, window_start), 0) + 1
