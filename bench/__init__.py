"""`make bench`: performance figures, printed as a table.

Each module in this package that defines ``run() -> list[Figure]`` is one benchmark; later
modules (letters, answering, results, public pages) add theirs here. Figures are measured,
never asserted: speed and memory belong here, not in the test suite.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One measured number, e.g. letters per second, with the target it is held against."""

    benchmark: str
    measure: str
    value: float
    unit: str
    target: str = ""
