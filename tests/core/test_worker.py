"""The background worker as a process: locked out of its database, cut off from it, killed
in the middle of a task, joined by a second worker, and kept going by `make worker`.

Each test starts real ``manage.py run_tasks`` processes (settings: worker_settings.py, with
a lease of three seconds and the gated task kind of worker_app) on the database this test
uses too: the PostgreSQL test database as it is, or on SQLite a file the in-memory test
database is copied to, since another process cannot open that. The gated task waits for a
file the test creates, so the test decides when a task is in the middle of its work.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection

from medvirk.core import tasks
from medvirk.core.models import BackgroundTask

from . import worker_settings
from .worker_app import tasks as _registers_the_gated_kind  # noqa: F401 - here too

ROOT = Path(__file__).resolve().parents[2]
LEASE = worker_settings.MEDVIRK_TASK_LEASE
WAIT = 60.0  # seconds before a test gives up waiting for something to happen
RUNNING = re.compile(r"Background worker \S+:(\d+) running")

# Committed, so that the workers see it; and restored afterwards to what the migrations wrote
# (content types, built-in service types), which the flush after a transactional test
# would otherwise leave to be written again under other ids.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class SharedDatabase:
    """The database this test and the worker processes it starts both see."""

    def __init__(self, folder: Path) -> None:
        self.sqlite = connection.vendor == "sqlite"
        self.path = folder / "shared.sqlite3"
        if self.sqlite:
            self.url = f"sqlite:///{self.path}"
        else:
            s = connection.settings_dict
            user = quote(s["USER"] or "") + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
            self.url = (
                f"postgres://{user}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"
            )

    def publish(self) -> None:
        """Let the workers see what the test has written so far (on SQLite, by copying)."""
        if self.sqlite:
            connection.ensure_connection()
            target = sqlite3.connect(self.path)
            connection.connection.backup(target)
            target.close()

    def task(self, task: BackgroundTask) -> dict[str, Any]:
        """The task's row as the workers left it."""
        if not self.sqlite:
            return dict(BackgroundTask.objects.filter(pk=task.pk).values().get())
        reader = sqlite3.connect(self.path, timeout=30)
        reader.row_factory = sqlite3.Row
        try:
            row = dict(
                reader.execute(
                    "SELECT * FROM core_backgroundtask WHERE id = ?", (task.pk.hex,)
                ).fetchone()
            )
        finally:
            reader.close()
        row["result"] = json.loads(row["result"]) if row["result"] else None
        return row

    def status(self, task: BackgroundTask) -> str:
        return str(self.task(task)["status"])


class Process:
    """A process the test started, with its output in files (a pipe could fill up)."""

    def __init__(self, folder: Path, name: str, command: list[str], env: dict[str, str]) -> None:
        self.output = folder / f"{name}.log"
        with self.output.open("w") as sink:
            self.popen = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        return self.popen.pid

    @property
    def alive(self) -> bool:
        return self.popen.poll() is None

    def log(self) -> str:
        return self.output.read_text(errors="replace")

    def worker_pids(self) -> list[int]:
        """The process ids of the workers that said they were running, in order."""
        return [int(pid) for pid in RUNNING.findall(self.log())]

    def signal_group(self, number: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, number)


@pytest.fixture
def shared(tmp_path: Path) -> SharedDatabase:
    return SharedDatabase(tmp_path)


@pytest.fixture
def start(tmp_path: Path, shared: SharedDatabase) -> Iterator[Callable[..., Process]]:
    started: list[Process] = []
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.core.worker_settings",
        "DATABASE_URL": shared.url,
    }

    def start_process(name: str, command: list[str] | None = None) -> Process:
        command = command or [sys.executable, "manage.py", "run_tasks", "--poll", "0.1"]
        process = Process(tmp_path, name, command, env)
        started.append(process)
        return process

    yield start_process
    for process in started:
        process.signal_group(signal.SIGKILL)
        process.popen.wait(timeout=WAIT)


def wait_until(condition: Callable[[], bool], what: str, *processes: Process) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            logs = "\n".join(f"--- {p.output.name}\n{p.log()}" for p in processes)
            pytest.fail(f"gave up waiting for {what}\n{logs}")
        time.sleep(0.1)


def gated_task(world: Any, folder: Path, *, open_gate: bool) -> BackgroundTask:
    if open_gate:
        (folder / "gate").touch()
    return tasks.enqueue(
        kind="tests.worker.gated",
        municipality=world.alpha,
        actor=world.people["adviser"],
        params={"folder": str(folder)},
    )


def finished(shared: SharedDatabase, task: BackgroundTask) -> Callable[[], bool]:
    return lambda: shared.status(task) in {"done", "failed"}


# --- the database's bad moments ------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's lock; see the next test")
def test_worker_waits_out_a_locked_database_and_runs_the_task(world, shared, start, tmp_path):
    task = gated_task(world, tmp_path, open_gate=True)
    shared.publish()
    lock = sqlite3.connect(shared.path, isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")  # what a long import in the web process does
    worker = start("worker")
    wait_until(lambda: worker.log().count("database is locked") >= 2, "two lock errors", worker)
    lock.execute("ROLLBACK")
    lock.close()

    wait_until(finished(shared, task), "the task to finish", worker)

    row = shared.task(task)
    assert (worker.alive, row["status"], row["result"]) == (
        True,
        "done",
        {"pid": worker.pid, "attempt": 1},
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's connection")
def test_worker_reconnects_after_its_connection_is_cut_and_runs_the_task(
    world, shared, start, tmp_path
):
    worker = start("worker")
    others = "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    with connection.cursor() as cursor:

        def connected() -> bool:
            cursor.execute(f"SELECT count(*) {others}")
            return bool(cursor.fetchone()[0])

        wait_until(connected, "the worker's connection", worker)
        cursor.execute(f"SELECT count(pg_terminate_backend(pid)) {others}")
        cut = cursor.fetchone()[0]
    wait_until(lambda: "database error" in worker.log(), "the worker to notice", worker)
    task = gated_task(world, tmp_path, open_gate=True)

    wait_until(finished(shared, task), "the task to finish", worker)

    row = shared.task(task)
    assert (cut >= 1, worker.alive, row["status"], row["result"]) == (
        True,
        True,
        "done",
        {"pid": worker.pid, "attempt": 1},
    )


# --- a worker that dies, and one that does not ---------------------------------------------


def test_task_of_a_killed_worker_is_run_by_another_once_the_lease_is_over(
    world, shared, start, tmp_path
):
    task = gated_task(world, tmp_path, open_gate=False)
    shared.publish()
    first = start("first")
    wait_until((tmp_path / "started-1").exists, "the first worker to start the task", first)
    first.signal_group(signal.SIGKILL)
    first.popen.wait(timeout=WAIT)
    (tmp_path / "gate").touch()

    second = start("second")
    wait_until(finished(shared, task), "the task to finish", second)

    row = shared.task(task)
    assert (row["status"], row["result"], row["attempts"]) == (
        "done",
        {"pid": second.pid, "attempt": 2},
        2,
    )


def test_second_worker_leaves_a_live_workers_task_alone(world, shared, start, tmp_path):
    task = gated_task(world, tmp_path, open_gate=False)
    shared.publish()
    first = start("first")
    wait_until((tmp_path / "started-1").exists, "the first worker to start the task", first)
    second = start("second")
    wait_until(lambda: bool(second.worker_pids()), "the second worker to run", second)
    time.sleep(2.5 * LEASE)  # long enough for the second to take back a task without a heartbeat
    during = shared.task(task)
    (tmp_path / "gate").touch()

    wait_until(finished(shared, task), "the task to finish", first, second)

    row = shared.task(task)
    assert (during["status"], str(during.get("worker", "")).split(":")[1:2]) == (
        "running",
        [str(first.pid)],
    )
    assert (row["status"], row["result"], second.alive) == (
        "done",
        {"pid": first.pid, "attempt": 1},
        True,
    )


# --- make worker: the supervise loop of make run ------------------------------------------


def make_worker(start: Callable[..., Process]) -> Process:
    # Without rebuilding the translations or the virtual environment: they are there.
    command = ["make", "-s", "-o", "translations", "-o", ".venv/.runtime", "worker"]
    return start("make", [*command, f"PY={sys.executable}"])


def test_make_worker_starts_a_killed_worker_again(world, shared, start, tmp_path):
    task = gated_task(world, tmp_path, open_gate=False)
    shared.publish()
    supervised = make_worker(start)
    wait_until((tmp_path / "started-1").exists, "the worker to start the task", supervised)
    (killed,) = supervised.worker_pids()
    os.kill(killed, signal.SIGKILL)
    (tmp_path / "gate").touch()

    wait_until(finished(shared, task), "the task to finish", supervised)

    pids = supervised.worker_pids()
    assert (len(pids), killed in pids[1:], shared.task(task)["result"]) == (
        2,
        False,
        {"pid": pids[1], "attempt": 2},
    )


def test_make_worker_stops_for_good_on_ctrl_c(world, shared, start, tmp_path):
    shared.publish()
    supervised = make_worker(start)
    wait_until(lambda: bool(supervised.worker_pids()), "the worker to run", supervised)

    supervised.signal_group(signal.SIGINT)  # what Ctrl-C in the terminal sends
    supervised.popen.wait(timeout=WAIT)
    time.sleep(3)  # the loop would start a new worker 2 seconds after the last one stopped

    (worker,) = supervised.worker_pids()
    assert (Path(f"/proc/{worker}").exists(), len(supervised.worker_pids())) == (False, 1)
