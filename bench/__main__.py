"""Run every benchmark in this package and print its figures as one table."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Callable
from pathlib import Path

from bench import Figure


def discover() -> list[tuple[str, Callable[[], list[Figure]]]]:
    here = Path(__file__).parent
    found = []
    for info in sorted(pkgutil.iter_modules([str(here)]), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"bench.{info.name}")
        if hasattr(module, "run"):
            found.append((info.name, module.run))
    return found


def table(figures: list[Figure]) -> str:
    header = ("benchmark", "measure", "value", "unit", "target")
    rows = [(f.benchmark, f.measure, f"{f.value:,.2f}", f.unit, f.target) for f in figures]
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    line = "+".join("-" * (w + 2) for w in widths)
    out = [" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)), line]
    out += [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(out)


def main(names: list[str]) -> int:
    """Run every benchmark, or only those named: ``python -m bench answering``."""
    figures: list[Figure] = []
    for name, run in discover():
        if names and name not in names:
            continue
        figures.extend(run())
    print(table(figures))
    if not figures:
        print(
            "(no benchmarks yet: the letters, answering, results and public-page modules add them)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
