"""A hook runs what the modules above registered, once each, in order, and stops the write
it belongs to when a job fails."""

from __future__ import annotations

import pytest

from medvirk.core.hooks import Hook


def test_jobs_run_once_each_in_the_order_they_registered():
    seen: list[str] = []
    hook: Hook[[str]] = Hook("test")

    def first(value: str) -> None:
        seen.append(f"first {value}")

    def second(value: str) -> None:
        seen.append(f"second {value}")

    for job in (first, second, first):  # ready() may run twice
        hook.register(job)
    hook.run("x")

    assert seen == ["first x", "second x"]


def test_a_failing_job_stops_the_rest_and_reaches_the_caller():
    seen: list[str] = []
    hook: Hook[[]] = Hook("test")

    def fail() -> None:
        raise RuntimeError("disk full")

    hook.register(fail)
    hook.register(lambda: seen.append("after"))

    with pytest.raises(RuntimeError, match="disk full"):
        hook.run()
    assert seen == []
