"""Queue and run background tasks (see ``models.BackgroundTask``).

A module registers each kind of task with ``register``: a function that does the work,
given the task and a ``Progress`` to report to, and returns a JSON-able result for the
status page. ``enqueue`` queues one; ``run_next`` (the worker's loop, and the tests) claims
the oldest queued task and runs it. A refusal the user can act on (``ValidationError``)
ends the task as failed with that message; anything else is logged with its traceback and
the user is told it went wrong, never shown the traceback.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .models import BackgroundTask

logger = logging.getLogger(__name__)

Status = BackgroundTask.Status


class Progress:
    """Reports how far a task has come. Writes at most twice a second, so it costs nothing."""

    interval = 0.5

    def __init__(self, task: BackgroundTask) -> None:
        self.task = task
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self._last < self.interval and done < total:
            return
        self._last = now
        self.task.progress_done, self.task.progress_total = done, total
        BackgroundTask.objects.filter(pk=self.task.pk).update(
            progress_done=done, progress_total=total
        )


TaskFunction = Callable[[BackgroundTask, Progress], dict[str, Any]]


@dataclass(frozen=True)
class TaskKind:
    name: str
    label: Promise
    run: TaskFunction
    result_template: str


REGISTRY: dict[str, TaskKind] = {}


def register(
    name: str, *, label: Promise, result_template: str
) -> Callable[[TaskFunction], TaskFunction]:
    def decorator(function: TaskFunction) -> TaskFunction:
        if name in REGISTRY and REGISTRY[name].run is not function:
            raise ValueError(f"task kind {name!r} is already registered")
        REGISTRY[name] = TaskKind(name, label, function, result_template)
        return function

    return decorator


def kind_of(task: BackgroundTask) -> TaskKind | None:
    return REGISTRY.get(task.kind)


def enqueue(
    *,
    kind: str,
    municipality: Any,
    actor: Any,
    params: dict[str, Any],
    payload: bytes | None = None,
) -> BackgroundTask:
    if kind not in REGISTRY:
        raise ValueError(f"unknown task kind {kind!r}")
    # Messages the task writes (a refusal, a failure) come in the starter's language.
    params = {"language": translation.get_language() or settings.LANGUAGE_CODE, **params}
    return BackgroundTask.objects.create(
        kind=kind, municipality=municipality, created_by=actor, params=params, payload=payload
    )


def _claim() -> BackgroundTask | None:
    with transaction.atomic():
        task = (
            BackgroundTask.objects.select_for_update(skip_locked=True)
            .filter(status=Status.QUEUED)
            .order_by("created_at")
            .first()
        )
        if task is None:
            return None
        task.status = Status.RUNNING
        task.started_at = timezone.now()
        task.save(update_fields=["status", "started_at"])
        return task


def run_next() -> BackgroundTask | None:
    """Claim and run the oldest queued task; None when the queue is empty."""
    task = _claim()
    if task is None:
        return None
    with translation.override(task.params.get("language") or settings.LANGUAGE_CODE):
        _run(task)
    return task


def _run(task: BackgroundTask) -> None:
    kind = kind_of(task)
    try:
        if kind is None:
            raise RuntimeError(f"no function registered for task kind {task.kind!r}")
        result = kind.run(task, Progress(task))
    except ValidationError as exc:
        _finish(task, Status.FAILED, error=" ".join(exc.messages))
    except Exception:
        logger.exception("background task %s (%s) failed", task.pk, task.kind)
        _finish(
            task,
            Status.FAILED,
            error=_("Something went wrong on our side; it has been logged. Try again later."),
        )
    else:
        _finish(task, Status.DONE, result=result)


def _finish(
    task: BackgroundTask, status: str, *, result: dict[str, Any] | None = None, error: str = ""
) -> None:
    task.status = status
    task.result = result
    task.error = error
    task.payload = None
    task.finished_at = timezone.now()
    task.save(update_fields=["status", "result", "error", "payload", "finished_at"])


def run_pending() -> int:
    """Run every queued task, one after the other. Returns how many ran."""
    count = 0
    while run_next() is not None:
        count += 1
    return count


def fail_interrupted() -> int:
    """Mark tasks left running by a worker that stopped as failed, so nobody waits for them."""
    return BackgroundTask.objects.filter(status=Status.RUNNING).update(
        status=Status.FAILED,
        finished_at=timezone.now(),
        payload=None,
        error=_("The task was interrupted because the worker stopped. Start it again."),
    )


HOUSEKEEPING: list[Callable[[], object]] = []


def register_housekeeping(job: Callable[[], object]) -> None:
    """A job the worker runs now and then (e.g. deleting printed letters nobody fetched)."""
    if job not in HOUSEKEEPING:
        HOUSEKEEPING.append(job)


def housekeeping() -> None:
    for job in HOUSEKEEPING:
        try:
            job()
        except Exception:
            logger.exception("housekeeping job %s failed", getattr(job, "__qualname__", job))
