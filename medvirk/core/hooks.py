"""Hooks: how a module that builds on another takes part in what the other one does.

The organisation does not import councils or results, yet a new municipality needs council
settings and a change of ``min_n`` needs the results recomputed. The lower module declares a
``Hook`` next to the service that runs it; the higher module registers a job from its
``AppConfig.ready``. The service's docstring says what it runs, so a reader of the service
sees what follows from it, which a Django signal would hide.

Jobs run in the order they registered, in the caller's transaction, and an exception
propagates: a job that fails undoes the write it belongs to. A caller that must go on past a
failing job (the worker's housekeeping) catches per job itself, iterating over the hook.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, ParamSpec

P = ParamSpec("P")


class Hook(Generic[P]):
    """A list of jobs that a service runs at one point of its work, with the same arguments."""

    def __init__(self, point: str) -> None:
        self.point = point
        self._jobs: list[Callable[P, object]] = []

    def register(self, job: Callable[P, object]) -> None:
        """Add ``job``; registering it again (``ready()`` may run twice in tests) is harmless."""
        if job not in self._jobs:
            self._jobs.append(job)

    def run(self, *args: P.args, **kwargs: P.kwargs) -> None:
        for job in self._jobs:
            job(*args, **kwargs)

    def __iter__(self) -> Iterator[Callable[P, object]]:
        return iter(tuple(self._jobs))

    def __repr__(self) -> str:
        return f"<Hook {self.point}: {len(self._jobs)} jobs>"
