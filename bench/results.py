"""Computing results: a national survey year and one municipality's round, on PostgreSQL and
SQLite, beside a plain pandas groupby of the same figures.

A throwaway database gets a synthetic national year (bench/_results_setup.py): 356
municipalities with the service area 05, a few districts and about 28 units each (10,000 in
all), unit sizes heavy-tailed so that some units have fewer than 5 respondents, one to four
services per unit; and two closed, purged rounds of the built-in 2016 user survey in every
municipality, last year's (results computed while setting up) and this year's, about
1,000,000 responses each nationally, with invited counts for response rates. One more
municipality of 40 units with 5,000 responses a year is the municipal case.

Timed, each in a fresh process (bench/_results_compute.py), wall time of the loop only
(Django start-up and the lookup of the rounds are outside the clock):

* national: ``results_compute`` for this year's round of each of the 356 municipalities, one
  after another, which is every level (unit, district, service area, service across the area)
  with primary and secondary suppression and the comparison with last year, stored;
* municipal: ``results_compute`` for the municipal case's round, best of 3.

Then the baseline (bench/_results_pandas.py): pandas reads the same national responses from
PostgreSQL (psycopg ``fetchall`` into a DataFrame) and computes, per unit, district and
service area and per statement, the valid answers, mean, standard deviation and count per
point with ``groupby``: no suppression, importance, sections, services or comparison. Its
figures for the service areas are checked against Medvirk's.

PostgreSQL first (a database ``medvirk_bench_results``, dropped and made anew, and left
behind for profiling), then SQLite in a temporary directory. ``OPENBLAS_NUM_THREADS=1`` for
every process, since numpy's BLAS threads only fight over two cores.

Settings (environment):

* BENCH_RESULTS_MUNICIPALITIES (default 356) and BENCH_RESULTS_RESPONSES (default 1,000,000
  per year nationally); BENCH_RESULTS_UNITS (default 10,000 scaled to the municipalities);
  e.g. 20 and 50,000 for a run of a minute or two.
* BENCH_RESULTS_MUNICIPAL_UNITS (default 40), BENCH_RESULTS_MUNICIPAL_RESPONSES (5,000).
* BENCH_RESULTS_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/medvirk_bench_results).
* BENCH_RESULTS_SKIP_SQLITE, BENCH_RESULTS_SKIP_POSTGRES (set to skip that database).
* BENCH_RESULTS_SQLITE_DIR (keep the SQLite database there instead of a temporary directory).
* BENCH_RESULTS_SEED (default 2026): the same seed gives the same data on both databases.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

from bench import Figure

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
NAME = "results"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/medvirk_bench_results"
NATIONAL_UNITS = 10_000
NATIONAL_MUNICIPALITIES = 356
MUNICIPAL_REPEATS = 3
WORKERS = 2  # one per core


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, "").replace("_", "").replace(",", "") or default)


def recreate_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def django_env(url: str, data: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": url,
        "MEDVIRK_DATA_DIR": str(data),
        "PYTHONPATH": str(ROOT),
        "OPENBLAS_NUM_THREADS": "1",
    }


def _json(command: list[str], env: dict[str, str]) -> Any:
    """Run a helper; its progress goes to our stderr, its JSON answer comes back."""
    done = subprocess.run(  # noqa: S603
        command, cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _parallel(env: dict[str, str], workers: int) -> float:
    """Wall time of the national compute split over ``workers`` processes side by side, as
    that many ``run_tasks`` workers would share it: the loop time of the slower process (each
    process's own start-up and lookup are outside its clock, as above)."""
    processes = [
        subprocess.Popen(  # noqa: S603
            [PYTHON, "-m", "bench._results_compute", "national", "1", f"{k}/{workers}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for k in range(workers)
    ]
    found = []
    for process in processes:
        out, _ = process.communicate()
        if process.returncode:
            raise subprocess.CalledProcessError(process.returncode, process.args)
        found.append(json.loads(out.strip().splitlines()[-1]))
    slowest: float = max(f["runs"][0] for f in found)
    return slowest


def one_database(label: str, url: str, data: Path, sizes: list[int]) -> dict[str, Any]:
    """Make the database, fill it, and time the computations on it."""
    env = django_env(url, data)
    subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    print(f"results: generating the {label} database", file=sys.stderr, flush=True)
    setup = _json([PYTHON, "-m", "bench._results_setup", *(str(n) for n in sizes)], env)
    print(f"results: timing the national compute on {label}", file=sys.stderr, flush=True)
    national = _json([PYTHON, "-m", "bench._results_compute", "national", "1"], env)
    print(
        f"results: timing the national compute on {label}, 2 workers", file=sys.stderr, flush=True
    )
    parallel = _parallel(env, WORKERS)
    print(f"results: timing the municipal compute on {label}", file=sys.stderr, flush=True)
    municipal = _json(
        [PYTHON, "-m", "bench._results_compute", "municipal", str(MUNICIPAL_REPEATS)], env
    )
    out = {"setup": setup, "national": national, "parallel": parallel, "municipal": municipal}
    if label == "PostgreSQL":
        print("results: pandas baseline", file=sys.stderr, flush=True)
        out["pandas"] = _json([PYTHON, "-m", "bench._results_pandas", url], env)
    return out


def figures_of(label: str, found: dict[str, Any], municipalities: int) -> list[Figure]:
    national, municipal, setup = found["national"], found["municipal"], found["setup"]
    seconds = national["runs"][0]
    postgres = label == "PostgreSQL"
    slowest = national["slowest"][0] if national["slowest"] else {"seconds": 0.0, "units": 0}
    out = [
        Figure(NAME, f"generating the database ({label})", setup["seconds"], "s"),
        Figure(
            NAME,
            f"national: {municipalities} rounds, {national['responses']:,} responses ({label})",
            seconds,
            "s",
            "<= 10" if postgres else "",
        ),
        Figure(
            NAME,
            f"national: {WORKERS} workers side by side, the slower one's time ({label})",
            found["parallel"],
            "s",
            "<= 10" if postgres else "",
        ),
        Figure(
            NAME,
            f"national: responses per second ({label})",
            national["responses"] / seconds,
            "responses/s",
        ),
        Figure(
            NAME,
            f"national: CPU time of the compute process ({label})",
            national["cpu"][0],
            "s",
        ),
        Figure(
            NAME,
            f"national: slowest round, {slowest['units']} units ({label})",
            slowest["seconds"],
            "s",
        ),
        Figure(
            NAME,
            f"national: peak memory of the process ({label})",
            national["peak_bytes"] / 2**20,
            "MiB",
        ),
        Figure(
            NAME,
            f"municipal: {municipal['responses']:,} responses, "
            f"best of {len(municipal['runs'])} ({label})",
            min(municipal["runs"]),
            "s",
            "<= 0.5" if postgres else "",
        ),
    ]
    if postgres:
        out += [
            Figure(NAME, "national: groups computed", national["cells"], "groups"),
            Figure(
                NAME,
                "national: groups suppressed, too few respondents",
                national["primary"],
                "groups",
            ),
            Figure(NAME, "national: groups suppressed, secondary", national["secondary"], "groups"),
            Figure(
                NAME,
                "national: statements suppressed in shown groups",
                national["items_suppressed"],
                "statements",
            ),
            Figure(
                NAME, "national: rounds compared with last year", national["compared"], "rounds"
            ),
        ]
    if "pandas" in found:
        pandas = found["pandas"]
        total = pandas["read"] + pandas["compute"]
        groups = sum(pandas["groups"].values())
        out += [
            Figure(
                NAME,
                f"pandas: read {pandas['responses']:,} responses (psycopg fetchall)",
                pandas["read"],
                "s",
            ),
            Figure(
                NAME, f"pandas: groupby, {groups:,} groups, no suppression", pandas["compute"], "s"
            ),
            Figure(NAME, "pandas: read and groupby", total, "s"),
            Figure(NAME, "Medvirk national (PostgreSQL) / pandas", seconds / total, "x"),
            Figure(
                NAME,
                f"pandas vs Medvirk: area statements that differ (of {pandas['checked']:,})",
                pandas["mismatches"],
                "statements",
                "0",
            ),
        ]
    return out


def run() -> list[Figure]:
    municipalities = _int("BENCH_RESULTS_MUNICIPALITIES", NATIONAL_MUNICIPALITIES)
    responses = _int("BENCH_RESULTS_RESPONSES", 1_000_000)
    units = _int(
        "BENCH_RESULTS_UNITS", round(NATIONAL_UNITS * municipalities / NATIONAL_MUNICIPALITIES)
    )
    sizes = [
        municipalities,
        responses,
        units,
        _int("BENCH_RESULTS_MUNICIPAL_UNITS", 40),
        _int("BENCH_RESULTS_MUNICIPAL_RESPONSES", 5_000),
        _int("BENCH_RESULTS_SEED", 2026),
    ]
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="medvirk-bench-results-") as folder:
        scratch = Path(folder)
        if not os.environ.get("BENCH_RESULTS_SKIP_POSTGRES"):
            url = os.environ.get("BENCH_RESULTS_DATABASE_URL", DEFAULT_DATABASE)
            recreate_database(url)
            found = one_database("PostgreSQL", url, scratch, sizes)
            figures += figures_of("PostgreSQL", found, municipalities)
        if not os.environ.get("BENCH_RESULTS_SKIP_SQLITE"):
            keep = os.environ.get("BENCH_RESULTS_SQLITE_DIR")
            where = Path(keep) if keep else scratch
            where.mkdir(parents=True, exist_ok=True)
            path = where / "results.sqlite3"
            for leftover in where.glob("results.sqlite3*"):
                leftover.unlink()
            found = one_database("SQLite", f"sqlite:///{path}", scratch, sizes)
            figures += figures_of("SQLite", found, municipalities)
    return figures
