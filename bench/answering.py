"""Answering a survey over HTTP: complete responses per second and latency per request.

A fresh PostgreSQL database gets the demo municipality and an open round of the 2016
survey with a few thousand recipients. Gunicorn serves Medvirk with the production
settings and 2 worker processes of 4 threads each (``gthread``, as docs/operations.md
recommends; it keeps connections alive, which the default ``sync`` worker does not). Fifty
simulated respondents, each with its own cookies, go through the whole flow at once,
without pauses: the code page (as the QR code opens it), the code, the language, every
section page, the summary, the submission and the thank-you page — 15 requests a response,
each checked for the status a browser would get. After a warm-up, the completed responses
and every request's latency are counted for a fixed time.

Settings (environment): BENCH_DATABASE_URL (default a database ``medvirk_bench`` on the
local PostgreSQL, dropped and made anew), BENCH_ANSWERING_SECONDS (default 20),
BENCH_GUNICORN_ARGS (arguments for gunicorn instead of the worker class and threads),
BENCH_ANSWERING_CONCURRENCY (default 50).
"""

from __future__ import annotations

import asyncio
import os
import random
import shlex
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import aiohttp
import psycopg
from yarl import URL

from bench import Figure

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/medvirk_bench"
CONCURRENCY = int(os.environ.get("BENCH_ANSWERING_CONCURRENCY", "50"))
WORKERS = 2
GUNICORN_ARGS = "--worker-class gthread --threads 4"
WARMUP = 3.0
RECIPIENTS = 6000
STATEMENTS = 23
NAME = "answering"


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)


def recreate_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def django_env(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": url,
        "PYTHONPATH": str(ROOT),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    extra = shlex.split(os.environ.get("BENCH_GUNICORN_ARGS", GUNICORN_ARGS))
    command = [
        str(Path(PYTHON).parent / "gunicorn"),
        "medvirk.wsgi",
        "--workers",
        str(WORKERS),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        *extra,
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


@dataclass
class Stats:
    window_start: float
    window_end: float
    latencies: list[float] = field(default_factory=list)
    completed: int = 0
    errors: list[str] = field(default_factory=list)

    def in_window(self, moment: float) -> bool:
        return self.window_start <= moment < self.window_end


class Refused(Exception):
    pass


async def one_response(
    session: aiohttp.ClientSession, base: str, code: str, stats: Stats, rng: random.Random
) -> None:
    async def call(method: str, path: str, expect: int, data: dict[str, str] | None = None) -> str:
        started = time.monotonic()
        async with session.request(method, base + path, data=data, allow_redirects=False) as reply:
            await reply.read()
            location = reply.headers.get("Location", "")
        finished = time.monotonic()
        if stats.in_window(finished):
            stats.latencies.append(finished - started)
        if reply.status != expect:
            raise Refused(f"{method} {path}: {reply.status}, expected {expect}")
        return location

    def token() -> str:
        return session.cookie_jar.filter_cookies(URL(base))["csrftoken"].value

    await call("GET", f"/svar/?kode={code}", 200)
    start = await call("POST", "/svar/", 302, {"code": code, "csrfmiddlewaretoken": token()})
    await call("GET", start, 200)
    first = await call(
        "POST", start, 302, {"language": "nb", "on_behalf": "no", "csrfmiddlewaretoken": token()}
    )
    page, number = first, 0
    while "/svar/del/" in page:
        number += 1
        await call("GET", page, 200)
        data = {"action": "next", "csrfmiddlewaretoken": token()}
        for index in range(1, STATEMENTS + 1):
            data[f"s-s{index:02d}"] = str(rng.randint(0, 5))
            data[f"i-s{index:02d}"] = str(rng.randint(1, 5))
        data["t-kommentar"] = "Takk for hjelpen." if rng.random() < 0.3 else ""
        page = await call("POST", page, 302, data)
    await call("GET", page, 200)
    thanks = await call("POST", page, 302, {"csrfmiddlewaretoken": token()})
    if stats.in_window(time.monotonic()):
        stats.completed += 1
    await call("GET", thanks, 200)


async def respondent(base: str, codes: Iterator[str], stats: Stats, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 (simulated answers)
    jar = aiohttp.CookieJar(unsafe=True)
    connector = aiohttp.TCPConnector(limit=1)
    async with aiohttp.ClientSession(cookie_jar=jar, connector=connector) as session:
        while time.monotonic() < stats.window_end:
            jar.clear()
            code = next(codes)
            try:
                await one_response(session, base, code, stats, rng)
            except (Refused, aiohttp.ClientError, TimeoutError) as exc:
                stats.errors.append(str(exc))


async def load(base: str, codes: list[str], seconds: float) -> Stats:
    now = time.monotonic()
    stats = Stats(window_start=now + WARMUP, window_end=now + WARMUP + seconds)
    supply = iter(codes)
    await asyncio.gather(*(respondent(base, supply, stats, n) for n in range(CONCURRENCY)))
    return stats


def count_responses(url: str) -> int:
    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT count(*) FROM surveys_response").fetchone()
    return int(row[0]) if row else 0


def run() -> list[Figure]:
    url = database_url()
    seconds = float(os.environ.get("BENCH_ANSWERING_SECONDS", "20"))
    recreate_database(url)
    env = django_env(url)
    manage = [PYTHON, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    setup = subprocess.run(  # noqa: S603
        [PYTHON, "-m", "bench._answering_setup", str(RECIPIENTS)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    codes = setup.stdout.split()
    with gunicorn(env) as base:
        stats = asyncio.run(load(base, codes, seconds))
    stored = count_responses(url)
    latencies = sorted(stats.latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))] * 1000 if latencies else float("nan")
    p50 = statistics.median(latencies) * 1000 if latencies else float("nan")
    for error in stats.errors[:5]:
        print(f"answering: {error}", file=sys.stderr)
    return [
        Figure(
            NAME, "complete responses per second", stats.completed / seconds, "responses/s", ">= 60"
        ),
        Figure(NAME, "p95 latency per request", p95, "ms", "<= 150"),
        Figure(NAME, "median latency per request", p50, "ms"),
        Figure(NAME, "requests per second", len(latencies) / seconds, "requests/s"),
        Figure(NAME, "errors", float(len(stats.errors)), "requests", "0"),
        Figure(NAME, "responses stored (all, warm-up included)", float(stored), "responses"),
        Figure(
            NAME, "concurrent respondents / gunicorn workers", CONCURRENCY / WORKERS, "per worker"
        ),
    ]
