"""Printing letters: letters per second for 10,000 invitations, peak memory for 50,000,
and WeasyPrint (HTML to PDF) on the same letters as a baseline.

A throwaway SQLite database gets the demo and two rounds of 10,000 and 50,000 invented
recipients with saved letter texts. ``manage.py print_letters`` then prints each round to a
temporary PDF, as an operator would; the time is the whole command, start-up included. While
the 50,000 are printed, the memory of the command and its typesetting processes together is
read every 50 ms; the peak is reported. WeasyPrint then makes the first letters of the same
round (the same texts, fonts, page size and QR codes, built by the same code) — a sample,
since it takes minutes for 10,000 — and its rate is compared with Medvirk's.

Settings (environment): BENCH_WEASYPRINT_LETTERS (default 500), BENCH_LETTERS_SKIP_50K
(set to skip the memory run).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench import Figure

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
NAME = "letters"


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def timed_print(env: dict[str, str], round_pk: int, out: Path) -> tuple[float, int]:
    """Run print_letters; return (seconds, peak bytes of its process tree)."""
    peak = 0
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603
        [PYTHON, "manage.py", "print_letters", str(round_pk), "--out", str(out)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    done = threading.Event()

    def watch() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(process.pid))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    code = process.wait()
    seconds = time.perf_counter() - started
    done.set()
    watcher.join()
    if code != 0:
        raise RuntimeError(f"print_letters {round_pk} failed with exit code {code}")
    return seconds, peak


def run() -> list[Figure]:
    sample = int(os.environ.get("BENCH_WEASYPRINT_LETTERS", "500"))
    with tempfile.TemporaryDirectory(prefix="medvirk-bench-letters-") as folder:
        data = Path(folder)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "medvirk.settings.dev",
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-secret-key-0123456789-0123456789-0123456789",
            "MEDVIRK_DATA_DIR": str(data),
            "MEDVIRK_PUBLIC_HOST": "medvirk.drammen.kommune.no",
            "DATABASE_URL": "",
            "PYTHONPATH": str(ROOT),
        }
        subprocess.run(  # noqa: S603
            [PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        setup = subprocess.run(  # noqa: S603
            [PYTHON, "-m", "bench._letters_setup"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        ten, fifty = (int(pk) for pk in setup.stdout.split()[-2:])
        seconds_10k, peak_10k = timed_print(env, ten, data / "10k.pdf")
        size_10k = (data / "10k.pdf").stat().st_size
        figures = [
            Figure(NAME, "10,000 invitations, whole command", seconds_10k, "s", "<= 10"),
            Figure(NAME, "letters per second (10,000)", 10_000 / seconds_10k, "letters/s"),
            Figure(NAME, "PDF size (10,000)", size_10k / 2**20, "MiB"),
            Figure(NAME, "peak memory (10,000)", peak_10k / 2**20, "MiB"),
        ]
        if not os.environ.get("BENCH_LETTERS_SKIP_50K"):
            seconds_50k, peak_50k = timed_print(env, fifty, data / "50k.pdf")
            figures += [
                Figure(NAME, "50,000 invitations, whole command", seconds_50k, "s"),
                Figure(NAME, "peak memory (50,000)", peak_50k / 2**20, "MiB", "<= 1024"),
            ]
        weasy = subprocess.run(  # noqa: S603
            [PYTHON, "-m", "bench._letters_weasyprint", str(ten), str(sample), str(data / "w.pdf")],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        weasy_rate = sample / float(weasy.stdout.split()[-1])
        figures += [
            Figure(
                NAME,
                f"WeasyPrint letters per second ({sample} of the same)",
                weasy_rate,
                "letters/s",
            ),
            Figure(NAME, "WeasyPrint for 10,000 at that rate", 10_000 / weasy_rate, "s"),
            Figure(NAME, "Medvirk / WeasyPrint", (10_000 / seconds_10k) / weasy_rate, "x", ">= 10"),
        ]
    return figures
