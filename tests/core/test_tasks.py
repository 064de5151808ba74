"""Background tasks: queueing, running, failing, progress and the worker command
(medvirk/core/tasks.py, management/commands/run_tasks.py, views.task_status).

The task kinds below are registered for these tests only; their names start with "tests.".
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Iterator
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
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


# --- interrupted tasks and the worker command ------------------------------------------


def test_fail_interrupted_fails_running_tasks_and_leaves_queued_ones(world):
    running, waiting = queue(world, payload=b"x"), queue(world)
    BackgroundTask.objects.filter(pk=running.pk).update(status=Status.RUNNING)

    with translation.override("en"):
        count = tasks.fail_interrupted()

    interrupted = stored(running)
    assert count == 1
    assert interrupted.status == Status.FAILED
    assert interrupted.error == (
        "The task was interrupted because the worker stopped. Start it again."
    )
    assert interrupted.payload is None
    assert interrupted.finished_at is not None
    assert stored(waiting).status == Status.QUEUED


def test_run_tasks_once_runs_the_queued_tasks_and_stops(world, keep_signal_handlers):
    first, second = queue(world), queue(world)
    out = StringIO()

    call_command("run_tasks", "--once", stdout=out, stderr=StringIO())

    assert "Ran 2 task(s)." in out.getvalue()
    assert (stored(first).status, stored(second).status) == (Status.DONE, Status.DONE)


def test_run_tasks_first_fails_tasks_a_stopped_worker_left_running(world, keep_signal_handlers):
    left = queue(world)
    BackgroundTask.objects.filter(pk=left.pk).update(status=Status.RUNNING)
    err = StringIO()

    call_command("run_tasks", "--once", stdout=StringIO(), stderr=err)

    assert "Marked 1 interrupted task(s) as failed." in err.getvalue()
    assert stored(left).status == Status.FAILED


def test_run_tasks_with_nothing_queued_runs_nothing(world, keep_signal_handlers):
    out = StringIO()

    call_command("run_tasks", "--once", stdout=out, stderr=StringIO())

    assert "Ran 0 task(s)." in out.getvalue()


def test_a_task_speaks_the_language_of_the_person_who_started_it(world):
    with translation.override("nn"):
        task = queue(world, "tests.crash")

    tasks.run_next()

    assert stored(task).error == "Noko gjekk gale hos oss. Feilen er logga. Prøv igjen seinare."
