"""Background tasks: queueing, running, failing, progress and the worker command
(medvirk/core/tasks.py, management/commands/run_tasks.py, views.task_status).

The task kinds below are registered for these tests only; their names start with "tests.".
"""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from io import StringIO
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import DatabaseError, InterfaceError
from django.db.utils import DatabaseErrorWrapper
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from medvirk.core import tasks
from medvirk.core.models import BackgroundTask

Status = BackgroundTask.Status

SECRET = "row 17: Åse Ødegård, Bjørnstjerne Bjørnsons gate 12"


@tasks.register("tests.ok", label=gettext_lazy("Test task"), result_template="")
def succeed(task: BackgroundTask, progress: tasks.Progress) -> dict[str, Any]:
    return {"params": task.params, "payload_bytes": len(bytes(task.payload or b""))}


@tasks.register("tests.refuse", label=gettext_lazy("Refusing task"), result_template="")
def refuse(task: BackgroundTask, progress: tasks.Progress) -> dict[str, Any]:
    raise ValidationError("The file is empty. Export the list again.")


@tasks.register("tests.crash", label=gettext_lazy("Crashing task"), result_template="")
def crash(task: BackgroundTask, progress: tasks.Progress) -> dict[str, Any]:
    raise KeyError(SECRET)


@tasks.register("tests.progress", label=gettext_lazy("Counting task"), result_template="")
def count(task: BackgroundTask, progress: tasks.Progress) -> dict[str, Any]:
    progress(3, 10)
    return {}


def queue(world, kind: str = "tests.ok", **fields: Any) -> BackgroundTask:
    return tasks.enqueue(
        kind=kind,
        municipality=world.alpha,
        actor=world.people["adviser"],
        params=fields.pop("params", {}),
        payload=fields.pop("payload", None),
    )


def stored(task: BackgroundTask) -> BackgroundTask:
    return BackgroundTask.objects.get(pk=task.pk)


@pytest.fixture
def keep_signal_handlers() -> Iterator[None]:
    """run_tasks installs SIGINT and SIGTERM handlers; give pytest its own back."""
    saved = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    yield
    for number, handler in saved.items():
        signal.signal(number, handler)


# --- enqueue ---------------------------------------------------------------------------


def test_unknown_kind_is_not_queued(world):
    with pytest.raises(ValueError, match="tests.unknown"):
        queue(world, "tests.unknown")

    assert not BackgroundTask.objects.exists()


def test_queued_task_waits_with_its_params_and_payload(world):
    task = queue(world, params={"round": 7}, payload=b"Navn;Adresse")

    waiting = stored(task)
    assert waiting.status == Status.QUEUED
    assert waiting.params == {"language": "nb", "round": 7}
    assert waiting.payload is not None
    assert bytes(waiting.payload) == b"Navn;Adresse"
    assert waiting.created_by == world.people["adviser"]


def test_a_kind_cannot_be_registered_twice_with_another_function():
    with pytest.raises(ValueError, match="tests.ok"):
        tasks.register("tests.ok", label=gettext_lazy("Again"), result_template="")(refuse)


# --- run_next and run_pending ----------------------------------------------------------


def test_run_next_runs_the_oldest_queued_task(world):
    newer = queue(world)
    older = queue(world)
    BackgroundTask.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )

    ran = tasks.run_next()

    assert ran is not None
    assert ran.pk == older.pk
    assert stored(older).status == Status.DONE
    assert stored(newer).status == Status.QUEUED


def test_run_next_with_an_empty_queue_does_nothing(world):
    assert tasks.run_next() is None


def test_finished_task_keeps_its_result_and_times(world):
    task = queue(world, params={"round": 7}, payload=b"abc")

    tasks.run_next()

    done = stored(task)
    assert done.status == Status.DONE
    assert done.result == {"params": {"language": "nb", "round": 7}, "payload_bytes": 3}
    assert done.started_at is not None
    assert done.finished_at is not None
    assert done.error == ""


def test_payload_is_emptied_once_the_task_has_run(world):
    task = queue(world, payload="Navn;Adresse\nÅse;Gata 1".encode())

    tasks.run_next()

    assert stored(task).payload is None


def test_run_next_leaves_finished_tasks_alone(world):
    task = queue(world)
    tasks.run_next()
    finished_at = stored(task).finished_at

    tasks.run_next()

    assert stored(task).finished_at == finished_at


def test_run_pending_runs_every_queued_task(world):
    first, second = queue(world), queue(world, "tests.refuse")

    ran = tasks.run_pending()

    assert ran == 2
    assert (stored(first).status, stored(second).status) == (Status.DONE, Status.FAILED)


# --- failures --------------------------------------------------------------------------


def test_refusal_fails_the_task_with_its_message(world):
    task = queue(world, "tests.refuse", payload=b"x")

    tasks.run_next()

    failed = stored(task)
    assert failed.status == Status.FAILED
    assert failed.error == "The file is empty. Export the list again."
    assert failed.result is None
    assert failed.payload is None


def test_crash_fails_the_task_with_a_message_that_hides_the_details(world):
    with translation.override("en"):
        task = queue(world, "tests.crash", payload=b"x")

    tasks.run_next()

    failed = stored(task)
    assert failed.status == Status.FAILED
    assert failed.error == (
        "Something went wrong on our side; it has been logged. Try again later."
    )
    assert SECRET not in failed.error
    assert failed.payload is None


def test_crash_is_logged_with_its_traceback(world, caplog):
    task = queue(world, "tests.crash")

    with caplog.at_level(logging.ERROR, logger="medvirk.core.tasks"):
        tasks.run_next()

    (record,) = [r for r in caplog.records if r.name == "medvirk.core.tasks"]
    assert record.levelno == logging.ERROR
    assert str(task.pk) in record.getMessage()
    assert "tests.crash" in record.getMessage()
    assert record.exc_info is not None
    assert record.exc_info[0] is KeyError


def test_task_of_a_kind_no_longer_registered_fails_and_is_logged(world, caplog):
    task = BackgroundTask.objects.create(kind="tests.gone", municipality=world.alpha)

    with caplog.at_level(logging.ERROR, logger="medvirk.core.tasks"):
        tasks.run_next()

    assert stored(task).status == Status.FAILED
    assert any("tests.gone" in r.getMessage() for r in caplog.records)


def test_failed_task_page_shows_the_message_but_never_the_traceback(world, client_for):
    # The message comes in the language of the person who started the task.
    with translation.override("en"):
        task = queue(world, "tests.crash")
    tasks.run_next()
    client = client_for("adviser")
    client.cookies["medvirk_language"] = "en"

    page = client.get(reverse("core:task_status", args=[task.pk])).text

    assert "The task failed" in page
    assert "Something went wrong on our side" in page
    assert "Åse" not in page
    assert "Traceback" not in page
    assert "KeyError" not in page


def test_refused_task_page_shows_what_to_do(world, client_for):
    task = queue(world, "tests.refuse")
    tasks.run_next()
    client = client_for("adviser")
    client.cookies["medvirk_language"] = "en"

    page = client.get(reverse("core:task_status", args=[task.pk])).text

    assert "The file is empty. Export the list again." in page


# --- progress --------------------------------------------------------------------------


def test_progress_reported_by_a_task_is_stored(world):
    task = queue(world, "tests.progress")

    tasks.run_next()

    counted = stored(task)
    assert (counted.progress_done, counted.progress_total) == (3, 10)


def test_progress_is_written_at_most_twice_a_second_except_the_last(world):
    task = queue(world)
    progress = tasks.Progress(task)

    progress(1, 10)
    progress(2, 10)
    written_early = (stored(task).progress_done, stored(task).progress_total)
    progress(10, 10)

    assert written_early == (1, 10)
    assert (stored(task).progress_done, stored(task).progress_total) == (10, 10)


def test_running_task_shows_its_progress(world, client_for):
    task = queue(world)
    BackgroundTask.objects.filter(pk=task.pk).update(
        status=Status.RUNNING, progress_done=3, progress_total=10
    )
    client = client_for("adviser")
    client.cookies["medvirk_language"] = "en"

    page = client.get(reverse("core:task_status", args=[task.pk])).text
    data = client.get(reverse("core:task_status", args=[task.pk]), {"format": "json"}).json()

    assert "3 of 10" in page
    assert data == {"status": "running", "finished": False, "percent": 30}


@pytest.mark.parametrize(
    ("status", "done", "total", "percent"),
    [
        (Status.QUEUED, 0, 0, 0),
        (Status.RUNNING, 1, 3, 33),
        (Status.RUNNING, 5, 3, 100),
        (Status.DONE, 3, 10, 100),
        (Status.FAILED, 3, 10, 30),
    ],
)
def test_percent_done(status, done, total, percent):
    task = BackgroundTask(status=status, progress_done=done, progress_total=total)

    assert task.percent == percent


# --- tasks a dead worker left, and the worker command -----------------------------------
# The worker processes themselves, killed and locked out, are in test_worker.py.


def left_running(
    world, *, attempts: int, heartbeat_age: timedelta, **fields: Any
) -> BackgroundTask:
    """A task a worker claimed and last reported on ``heartbeat_age`` ago."""
    task = queue(world, **fields)
    BackgroundTask.objects.filter(pk=task.pk).update(
        status=Status.RUNNING,
        worker="elsewhere:4242:0badc0de",
        attempts=attempts,
        started_at=timezone.now() - heartbeat_age,
        heartbeat_at=timezone.now() - heartbeat_age,
        progress_done=3,
        progress_total=10,
    )
    return stored(task)


LEASE = tasks.lease()


def test_task_without_a_heartbeat_for_a_lease_is_queued_again_with_its_file(world):
    left = left_running(world, attempts=1, heartbeat_age=LEASE * 1.5, payload=b"Navn;Adresse")

    taken = tasks.take_back_abandoned()

    again = stored(left)
    assert (taken, again.status, again.worker, again.progress_done) == (1, Status.QUEUED, "", 0)
    assert bytes(again.payload or b"") == b"Navn;Adresse"


def test_task_abandoned_on_its_second_attempt_fails_with_a_message(world):
    with translation.override("en"):
        left = left_running(world, attempts=2, heartbeat_age=LEASE * 1.5, payload=b"x")

    tasks.take_back_abandoned()

    failed = stored(left)
    assert (failed.status, failed.payload, failed.finished_at is not None) == (
        Status.FAILED,
        None,
        True,
    )
    assert failed.error.startswith(
        "The task was started twice, and both times the worker running it stopped"
    )


def test_task_of_a_live_worker_is_left_alone(world):
    live = left_running(world, attempts=1, heartbeat_age=LEASE * 0.5)

    taken = tasks.take_back_abandoned()

    assert (taken, stored(live).status, stored(live).worker) == (
        0,
        Status.RUNNING,
        "elsewhere:4242:0badc0de",
    )


def test_taking_back_is_logged_with_the_task_and_its_worker(world, caplog):
    left = left_running(world, attempts=1, heartbeat_age=LEASE * 2)

    with caplog.at_level(logging.WARNING, logger="medvirk.core.tasks"):
        tasks.take_back_abandoned()

    (message,) = [r.getMessage() for r in caplog.records if r.name == "medvirk.core.tasks"]
    assert (str(left.pk) in message, "elsewhere:4242:0badc0de" in message) == (True, True)


def test_task_queued_again_says_so_on_its_page(world, client_for):
    left = left_running(world, attempts=1, heartbeat_age=LEASE * 2)
    tasks.take_back_abandoned()
    client = client_for("adviser")
    client.cookies["medvirk_language"] = "en"

    page = client.get(reverse("core:task_status", args=[left.pk])).text

    assert "The task was interrupted before it was done. It will start again by itself." in page


@tasks.register("tests.taken_back", label=gettext_lazy("Task taken back"), result_template="")
def taken_back(task: BackgroundTask, progress: tasks.Progress) -> dict[str, Any]:
    # While this worker is stuck, another takes the task back and starts it itself.
    BackgroundTask.objects.filter(pk=task.pk).update(worker="other:1:feedf00d")
    return {"outcome": "of the worker that lost its task"}


def test_worker_that_lost_its_task_does_not_overwrite_it(world):
    task = queue(world, "tests.taken_back")

    tasks.run_next()

    kept = stored(task)
    assert (kept.status, kept.worker, kept.result) == (Status.RUNNING, "other:1:feedf00d", None)


def test_claimed_task_records_its_worker_and_attempt(world):
    task = queue(world)

    tasks.run_next()

    done = stored(task)
    assert (done.attempts, done.worker.split(":")[1], done.heartbeat_at is not None) == (
        1,
        str(os.getpid()),
        True,
    )


def test_run_tasks_once_runs_the_queued_tasks_and_stops(world, keep_signal_handlers):
    first, second = queue(world), queue(world)
    out = StringIO()

    call_command("run_tasks", "--once", stdout=out, stderr=StringIO())

    assert "Ran 2 task(s)." in out.getvalue()
    assert (stored(first).status, stored(second).status) == (Status.DONE, Status.DONE)


def test_run_tasks_once_first_takes_back_what_a_dead_worker_left(world, keep_signal_handlers):
    left = left_running(world, attempts=1, heartbeat_age=LEASE * 2)
    err = StringIO()

    call_command("run_tasks", "--once", stdout=StringIO(), stderr=err)

    assert "Took back 1 task(s) a stopped worker left running." in err.getvalue()
    assert (stored(left).status, stored(left).attempts) == (Status.DONE, 2)


def test_run_tasks_with_nothing_queued_runs_nothing(world, keep_signal_handlers):
    out = StringIO()

    call_command("run_tasks", "--once", stdout=out, stderr=StringIO())

    assert "Ran 0 task(s)." in out.getvalue()


def test_a_task_speaks_the_language_of_the_person_who_started_it(world):
    with translation.override("nn"):
        task = queue(world, "tests.crash")

    tasks.run_next()

    assert stored(task).error == "Noko gjekk gale hos oss. Feilen er logga. Prøv igjen seinare."


# --- which database errors are worth waiting out ----------------------------------------
# Real errors from the database libraries, wrapped the way Django wraps them.


def as_django_raises(error: Exception, library: Any = sqlite3) -> DatabaseError:
    """``error`` from the database ``library``, as Django's backend for it raises it."""
    try:
        with DatabaseErrorWrapper(SimpleNamespace(Database=library)):
            raise error
    except DatabaseError as wrapped:
        return wrapped
    raise AssertionError("Django did not wrap the error")


def sqlite_error(tmp_path, statement: str) -> sqlite3.Error:
    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute(statement)
    except sqlite3.Error as error:
        return error
    finally:
        other.close()
        holder.close()
    raise AssertionError(f"{statement} did not fail")


def test_sqlite_database_is_locked_is_transient(tmp_path):
    error = sqlite_error(tmp_path, "INSERT INTO t VALUES (1)")

    assert (str(error), tasks.is_transient(as_django_raises(error))) == (
        "database is locked",
        True,
    )


def test_sqlite_missing_table_is_not_transient(tmp_path):
    error = sqlite_error(tmp_path, "SELECT * FROM missing")

    assert tasks.is_transient(as_django_raises(error)) is False


def test_postgresql_server_out_of_reach_is_transient():
    import psycopg

    try:
        psycopg.connect("postgresql://nobody@127.0.0.1:9/nothing", connect_timeout=2)
    except psycopg.OperationalError as error:
        wrapped = as_django_raises(error, psycopg)

    assert tasks.is_transient(wrapped) is True


@pytest.mark.django_db
def test_closed_connection_is_transient():
    assert tasks.is_transient(InterfaceError("connection already closed")) is True


def database_error(statement: str) -> DatabaseError:
    with tempfile.TemporaryDirectory() as folder:
        return as_django_raises(sqlite_error(Path(folder), statement))


@tasks.register(
    "tests.busy", label=gettext_lazy("Task the database is busy for"), result_template=""
)
def busy(task: BackgroundTask, progress: tasks.Progress) -> dict[str, Any]:
    raise database_error("INSERT INTO t VALUES (1)")


@tasks.register("tests.broken", label=gettext_lazy("Task with a broken query"), result_template="")
def broken(task: BackgroundTask, progress: tasks.Progress) -> dict[str, Any]:
    raise database_error("SELECT * FROM missing")


def test_task_meeting_a_locked_database_goes_back_to_the_queue_with_its_file(world):
    task = queue(world, "tests.busy", payload=b"Navn;Adresse")

    tasks.run_next()

    again = stored(task)
    assert (again.status, again.attempts, again.worker, bytes(again.payload or b"")) == (
        Status.QUEUED,
        1,
        "",
        b"Navn;Adresse",
    )


def test_task_meeting_a_locked_database_on_its_second_start_fails_with_a_message(world):
    with translation.override("en"):
        task = queue(world, "tests.busy", payload=b"x")

    tasks.run_next()
    tasks.run_next()

    failed = stored(task)
    assert (failed.status, failed.error, failed.payload) == (
        Status.FAILED,
        "The database was busy. Start the task again.",
        None,
    )


def test_task_with_a_broken_query_fails_at_once_as_a_crash(world):
    with translation.override("en"):
        task = queue(world, "tests.broken")

    tasks.run_next()

    failed = stored(task)
    assert (failed.status, failed.attempts, failed.error) == (
        Status.FAILED,
        1,
        "Something went wrong on our side; it has been logged. Try again later.",
    )
