"""Reading the public results pages over HTTP: latency per page at 50 concurrent readers.

A fresh PostgreSQL database gets the demo municipality with 40 units and a published round
of about 5,000 responses (see _public_pages_setup.py). Gunicorn serves Medvirk with the
production settings and 2 worker processes, as in the answering benchmark. Each unit page is
first asked for once, one after the other: nobody has asked for it before, so it is
rendered, not read from the cache. Then every page is asked for ten times at once, so that
both workers have it (the cache is per process), and fifty readers, each with its own
connection and cookies, ask for random public unit pages without pauses; after a warm-up,
every request's latency is counted for a fixed time, and any answer but 200 is an error.
For comparison, the same readers then ask for /healthz for half as long: the latency of the
cheapest answer Django gives on the same machine at the same load.

Settings (environment): BENCH_DATABASE_URL (the server to use; the database is its name
with ``_public`` added, dropped and made anew, so that it never meets another benchmark's),
BENCH_PUBLIC_SECONDS (default 20), BENCH_PUBLIC_CONCURRENCY (default 50), BENCH_GUNICORN_ARGS
(as for the answering benchmark).
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import aiohttp

from bench import Figure
from bench.answering import (
    PYTHON,
    ROOT,
    WARMUP,
    WORKERS,
    database_url,
    django_env,
    gunicorn,
    recreate_database,
)

NAME = "public pages"
RESPONSES = 5000
CONCURRENCY = int(os.environ.get("BENCH_PUBLIC_CONCURRENCY", "50"))
PRIMING = 10  # requests per page before the readers start


def public_database_url() -> str:
    parts = urlsplit(database_url())
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_public"))


@dataclass
class Stats:
    window_start: float
    window_end: float
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)

    def in_window(self, moment: float) -> bool:
        return self.window_start <= moment < self.window_end


async def fetch(session: aiohttp.ClientSession, url: str) -> tuple[int, int, float]:
    started = time.monotonic()
    async with session.get(url, allow_redirects=False) as reply:
        body = await reply.read()
    return reply.status, len(body), time.monotonic() - started


async def first_visits(base: str, paths: list[str]) -> tuple[list[float], list[str]]:
    """Each page once, in turn: rendered, since no one has asked for it before."""
    latencies, errors = [], []
    async with aiohttp.ClientSession() as session:
        for path in paths:
            status, _size, seconds = await fetch(session, base + path)
            latencies.append(seconds)
            if status != 200:
                errors.append(f"GET {path}: {status}")
    return latencies, errors


async def prime(base: str, paths: list[str]) -> list[str]:
    """Every page asked for a few times at once, so that each worker has it in its cache.

    The cache is per worker process; which worker answers is up to the operating system.
    Ten requests a page leave a page out of a worker's cache with a chance of 1 in 500.
    """
    errors = []
    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(connector=connector) as session:
        replies = await asyncio.gather(*(fetch(session, base + path) for path in paths * PRIMING))
    for path, (status, _size, _seconds) in zip(paths * PRIMING, replies, strict=True):
        if status != 200:
            errors.append(f"GET {path}: {status}")
    return errors


async def reader(base: str, paths: list[str], stats: Stats, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 (which page to read)
    connector = aiohttp.TCPConnector(limit=1)
    # Keeps its cookies (the CSRF cookie), as a browser reading one page after another does.
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(connector=connector, cookie_jar=jar) as session:
        while time.monotonic() < stats.window_end:
            path = rng.choice(paths)
            try:
                status, size, seconds = await fetch(session, base + path)
            except (aiohttp.ClientError, TimeoutError) as exc:
                stats.errors.append(f"GET {path}: {exc}")
                continue
            if status != 200:
                stats.errors.append(f"GET {path}: {status}")
            if stats.in_window(time.monotonic()):
                stats.latencies.append(seconds)
                stats.sizes.append(size)


async def load(base: str, paths: list[str], seconds: float) -> Stats:
    now = time.monotonic()
    stats = Stats(window_start=now + WARMUP, window_end=now + WARMUP + seconds)
    await asyncio.gather(*(reader(base, paths, stats, n) for n in range(CONCURRENCY)))
    return stats


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[int(share * (len(ordered) - 1))] * 1000 if ordered else float("nan")


def run() -> list[Figure]:
    url = public_database_url()
    seconds = float(os.environ.get("BENCH_PUBLIC_SECONDS", "20"))
    recreate_database(url)
    env = django_env(url)
    subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    setup = subprocess.run(  # noqa: S603
        [PYTHON, "-m", "bench._public_pages_setup", str(RESPONSES)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    print(f"public pages: {setup.stderr.strip()}", file=sys.stderr)
    paths = setup.stdout.split()
    with gunicorn(env) as base:
        first, first_errors = asyncio.run(first_visits(base, paths))
        first_errors += asyncio.run(prime(base, paths))
        stats = asyncio.run(load(base, paths, seconds))
        floor = asyncio.run(load(base, ["/healthz"], seconds / 2))
    errors = first_errors + stats.errors
    for error in errors[:5]:
        print(f"public pages: {error}", file=sys.stderr)
    return [
        Figure(NAME, "p95 latency, unit page", percentile(stats.latencies, 0.95), "ms", "<= 50"),
        Figure(NAME, "median latency, unit page", percentile(stats.latencies, 0.5), "ms"),
        Figure(NAME, "requests per second", len(stats.latencies) / seconds, "requests/s"),
        Figure(NAME, "errors", float(len(errors)), "requests", "0"),
        Figure(
            NAME,
            "median latency, first request of a page (not cached)",
            statistics.median(first) * 1000 if first else float("nan"),
            "ms",
        ),
        Figure(
            NAME,
            "median page size",
            statistics.median(stats.sizes) / 1024 if stats.sizes else float("nan"),
            "KiB",
        ),
        Figure(
            NAME,
            "p95 latency, /healthz at the same load (for comparison: one SELECT 1, no page)",
            percentile(floor.latencies, 0.95),
            "ms",
        ),
        Figure(NAME, "unit pages read at random", float(len(paths)), "pages"),
        Figure(NAME, "concurrent readers / gunicorn workers", CONCURRENCY / WORKERS, "per worker"),
    ]
