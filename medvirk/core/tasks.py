"""Queue and run background tasks (see ``models.BackgroundTask``).

A module registers each kind of task with ``register``: a function that does the work,
given the task and a ``Progress`` to report to, and returns a JSON-able result for the
status page. ``enqueue`` queues one; ``run_next`` (the worker's loop, and the tests) claims
the oldest queued task and runs it. A refusal the user can act on (``ValidationError``)
ends the task as failed with that message; anything else is logged with its traceback and
the user is told it went wrong, never shown the traceback.

The worker (``work``, behind ``manage.py run_tasks``) must outlive the database's bad
moments and its own death:

- A transient database error ("database is locked" on SQLite, a dropped PostgreSQL
  connection; see ``is_transient``) never stops it. It logs the error with what it was
  doing, closes its connections, waits longer each time (``BACKOFF``) and goes on. A task
  that met such an error goes back to the queue, since its work was rolled back.
- While a task runs, a thread writes the task's ``heartbeat_at`` every sixth of the lease
  (``MEDVIRK_TASK_LEASE`` seconds, 60 by default). A task whose heartbeat is older than the
  lease was left by a worker that died (killed, out of memory, the machine restarted):
  any worker takes it back (``take_back_abandoned``) and queues it again, once. A task that
  was already started twice is failed instead, with a message on its status page, since it
  may be what kills the worker. A live worker's tasks are left alone, so a second worker
  (started during an upgrade, say) may run beside the first; claiming a task locks it
  (``select_for_update(skip_locked=True)`` on PostgreSQL, an immediate transaction on
  SQLite), so no two workers start the same one.
- Every write about a task names the worker that claimed it, so a worker that lost its
  task (taken back while it was stuck) cannot overwrite what the next one wrote.
"""

from __future__ import annotations

import contextvars
import logging
import os
import secrets
import socket
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, InterfaceError, OperationalError, connections, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from . import logs
from .hooks import Hook
from .models import BackgroundTask

logger = logging.getLogger(__name__)

Status = BackgroundTask.Status

DEFAULT_LEASE = 60.0  # seconds; settings.MEDVIRK_TASK_LEASE overrides it
MAX_ATTEMPTS = 2  # a task left by a dead worker is started once more, not again
BACKOFF = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0)  # seconds to wait after each database error in a row
HOUSEKEEPING_EVERY = 300.0  # seconds


def lease() -> timedelta:
    """How long a running task may go without a heartbeat before it counts as abandoned."""
    return timedelta(seconds=float(getattr(settings, "MEDVIRK_TASK_LEASE", DEFAULT_LEASE)))


def is_transient(exc: BaseException) -> bool:
    """Whether a database error is the database's bad moment rather than a fault in the
    query: worth waiting out and trying again.

    SQLite's busy and locked errors; on PostgreSQL a connection that is gone or was never
    made (no SQLSTATE, or class 08), a serialization failure or deadlock (40), the server
    short of resources (53) or shutting down (57P), and a lock wait that timed out (55P03).
    """
    if isinstance(exc, InterfaceError):
        return True  # the connection is closed
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if isinstance(cause, sqlite3.Error):
        # SQLITE_BUSY (5) and SQLITE_LOCKED (6), with their extended codes
        return getattr(cause, "sqlite_errorcode", 0) & 0xFF in {5, 6} or "locked" in str(cause)
    state = getattr(cause, "sqlstate", None)
    if not state:
        return True  # psycopg's own connection errors carry no SQLSTATE
    return state[:2] in {"08", "40", "53"} or state[:3] == "57P" or state == "55P03"


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
        _mine(self.task).update(
            progress_done=done, progress_total=total, heartbeat_at=timezone.now()
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


# --- claiming and running ----------------------------------------------------------------


def process_name() -> str:
    """This worker process, as logs and the task's ``worker`` name it."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}"


def _mine(task: BackgroundTask) -> Any:
    """The task, as long as it is still this worker's: taking it back clears ``worker``,
    and the next claim writes another token there."""
    return BackgroundTask.objects.filter(pk=task.pk, worker=task.worker)


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
        task.started_at = task.heartbeat_at = timezone.now()
        task.worker = f"{process_name()}:{secrets.token_hex(4)}"
        task.attempts += 1
        task.save(update_fields=["status", "started_at", "heartbeat_at", "worker", "attempts"])
        return task


class _Heartbeat:
    """Writes the task's heartbeat from a thread of its own while the task runs.

    A thread, because a task may go a long time without reporting progress (typesetting a
    batch of letters). It uses its own database connection and closes it when done.
    """

    def __init__(self, task: BackgroundTask) -> None:
        self.task = task
        self.interval = lease().total_seconds() / 6
        self._stop = threading.Event()
        # In the running task's context, so that its log lines name the task too.
        self._thread = threading.Thread(
            target=contextvars.copy_context().run, args=(self._beat,), name=f"heartbeat {task.pk}"
        )

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    if not _mine(self.task).update(heartbeat_at=timezone.now()):
                        return  # taken back, or just put back in the queue: _record says
                except DatabaseError as exc:
                    logger.warning(
                        "heartbeat of background task %s failed (%s); trying again in %.0f s",
                        self.task.pk,
                        exc,
                        self.interval,
                    )
                    connections.close_all()
        finally:
            connections.close_all()  # this thread's connections only


@dataclass(frozen=True)
class _Outcome:
    status: str  # DONE, FAILED, or QUEUED for a task to try again
    result: dict[str, Any] | None = None
    error: str = ""


def run_next() -> BackgroundTask | None:
    """Claim and run the oldest queued task; None when the queue is empty.

    Raises a ``DatabaseError`` only when the outcome could not be written even after waiting
    a while; the task is then taken back once its lease runs out.
    """
    task = _claim()
    if task is None:
        return None
    with (
        logs.task_context(task.pk),
        translation.override(task.params.get("language") or settings.LANGUAGE_CODE),
        _Heartbeat(task),
    ):
        outcome = _run(task)
        _persist(lambda: _record(task, outcome), doing=f"recording task {task.pk}")
    return task


def _run(task: BackgroundTask) -> _Outcome:
    kind = kind_of(task)
    try:
        if kind is None:
            raise RuntimeError(f"no function registered for task kind {task.kind!r}")
        result = kind.run(task, Progress(task))
    except ValidationError as exc:
        return _Outcome(Status.FAILED, error=" ".join(exc.messages))
    except DatabaseError as exc:
        if not is_transient(exc):
            return _crashed(task)
        logger.warning(
            "background task %s (%s) met a passing database error and goes back to the queue: %s",
            task.pk,
            task.kind,
            exc,
        )
        # The worker's loop closes the connection and waits before the next try.
        return _Outcome(Status.QUEUED, error=_("The database was busy. Start the task again."))
    except Exception:
        return _crashed(task)
    return _Outcome(Status.DONE, result=result)


def _crashed(task: BackgroundTask) -> _Outcome:
    logger.exception("background task %s (%s) failed", task.pk, task.kind)
    return _Outcome(
        Status.FAILED,
        error=_("Something went wrong on our side; it has been logged. Try again later."),
    )


def _record(task: BackgroundTask, outcome: _Outcome) -> None:
    status: str
    if outcome.status == Status.QUEUED and task.attempts < MAX_ATTEMPTS:
        written = _mine(task).update(**_back_in_queue())
        status = Status.QUEUED
    else:
        status = Status.FAILED if outcome.status == Status.QUEUED else outcome.status
        written = _mine(task).update(
            status=status,
            result=outcome.result,
            error=outcome.error,
            payload=None,
            finished_at=timezone.now(),
        )
    if not written:
        logger.warning(
            "background task %s (%s) was taken back from worker %s while it ran; its "
            "outcome (%s) is dropped",
            task.pk,
            task.kind,
            task.worker,
            outcome.status,
        )
        return
    task.status = status


def _back_in_queue() -> dict[str, Any]:
    return {
        "status": Status.QUEUED,
        "worker": "",
        "heartbeat_at": None,
        "started_at": None,
        "progress_done": 0,
        "progress_total": 0,
    }


def _persist(write: Callable[[], None], *, doing: str) -> None:
    """Run ``write``, waiting out transient database errors for a while (about a minute)."""
    for delay in BACKOFF:
        try:
            write()
            return
        except DatabaseError as exc:
            if not is_transient(exc):
                raise
            logger.warning("database error while %s; trying again in %.0f s: %s", doing, delay, exc)
            connections.close_all()
            time.sleep(delay)
    write()


def run_pending() -> int:
    """Run every queued task, one after the other. Returns how many ran."""
    count = 0
    while run_next() is not None:
        count += 1
    return count


def take_back_abandoned() -> int:
    """Queue again the running tasks whose worker has not been heard from for a lease (or
    fail those already started ``MAX_ATTEMPTS`` times). Returns how many were taken back.

    The heartbeat is part of the condition of each write, so a worker that is merely slow
    and beats at the last moment keeps its task.
    """
    cutoff = timezone.now() - lease()
    abandoned = BackgroundTask.objects.filter(status=Status.RUNNING, heartbeat_at__lt=cutoff)
    taken = 0
    for task in abandoned.only("pk", "kind", "worker", "attempts", "heartbeat_at", "params"):
        again = task.attempts < MAX_ATTEMPTS
        if again:
            changes = _back_in_queue()
        else:
            with translation.override(task.params.get("language") or settings.LANGUAGE_CODE):
                error = _(
                    "The task was started twice, and both times the worker running it "
                    "stopped in the middle of it, so it was not started again. Start it "
                    "again; if it stops once more, tell your system administrator."
                )
            changes = {
                "status": Status.FAILED,
                "error": error,
                "payload": None,
                "finished_at": timezone.now(),
            }
        if BackgroundTask.objects.filter(
            pk=task.pk, status=Status.RUNNING, worker=task.worker, heartbeat_at__lt=cutoff
        ).update(**changes):
            taken += 1
            logger.warning(
                "background task %s (%s) was left by worker %s (last heartbeat %s); %s",
                task.pk,
                task.kind,
                task.worker,
                task.heartbeat_at.isoformat() if task.heartbeat_at else "never",
                "queued again" if again else f"failed after {task.attempts} attempts",
            )
    return taken


# --- the worker --------------------------------------------------------------------------


def work(
    *,
    poll: float,
    stopping: Callable[[], bool],
    say: Callable[[str], None],
) -> None:
    """The worker's loop: housekeeping now and then, taking back abandoned tasks, running
    queued ones, until ``stopping()``. Database errors are waited out, never fatal."""
    errors_in_a_row = 0
    next_housekeeping = 0.0
    while not stopping():
        doing = "housekeeping"
        try:
            if time.monotonic() >= next_housekeeping:
                housekeeping()
                next_housekeeping = time.monotonic() + HOUSEKEEPING_EVERY
            doing = "taking back abandoned tasks"
            taken = take_back_abandoned()
            if taken:
                say(f"Took back {taken} task(s) a stopped worker left running.")
            doing = "claiming or running a task"
            task = run_next()
        except DatabaseError as exc:
            error: DatabaseError | None = exc
            task = None
        else:
            error = None
        # A task back in the queue met a passing database error too (and said so).
        if error is not None or (task is not None and task.status == Status.QUEUED):
            delay = BACKOFF[min(errors_in_a_row, len(BACKOFF) - 1)]
            errors_in_a_row += 1
            transient = error is None or is_transient(error)
            logger.log(
                logging.WARNING if transient else logging.ERROR,
                "background worker %s: database error while %s; trying again in %.0f s: %s",
                process_name(),
                doing,
                delay,
                error or "the task goes back to the queue",
                exc_info=None if transient else error,
            )
            connections.close_all()
            _sleep(delay, stopping)
            continue
        errors_in_a_row = 0
        if task is None:
            _sleep(poll, stopping)
        else:
            say(f"{task.kind} {task.pk}: {task.status}")


def _sleep(seconds: float, stopping: Callable[[], bool]) -> None:
    """Sleep, but wake within a fraction of a second when told to stop."""
    end = time.monotonic() + seconds
    while not stopping() and (left := end - time.monotonic()) > 0:
        time.sleep(min(left, 0.25))


# Jobs the worker runs now and then (deleting printed letters nobody fetched, computing
# results due); modules register theirs from AppConfig.ready().
housekeeping_jobs: Hook[[]] = Hook("the worker's housekeeping")


def housekeeping() -> None:
    """Run every housekeeping job; one that fails is logged and the others still run."""
    for job in housekeeping_jobs:
        try:
            job()
        except Exception:
            logger.exception("housekeeping job %s failed", getattr(job, "__qualname__", job))
