"""Terms of office as date ranges: overlaps, how many are held at once, when a term ends.

A term runs from its first to its last day, both included; a term with no last day (a
secretary's, an employee's) runs until it is ended. No Django here.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Term:
    starts_on: date
    ends_on: date | None = None

    def holds_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)

    def overlaps(self, other: Term) -> bool:
        return (other.ends_on is None or self.starts_on <= other.ends_on) and (
            self.ends_on is None or other.starts_on <= self.ends_on
        )


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def term_end(starts_on: date, years: int) -> date:
    """The last day of a term of ``years`` years: 1.1.2026 for two years ends 31.12.2027."""
    return add_years(starts_on, years) - timedelta(days=1)


def busiest_day(terms: Iterable[Term], within: Term) -> tuple[int, date]:
    """The most ``terms`` held on one day of ``within``, and the first day that many are.

    The count can only rise on a day some term starts, so those days (and the first day of
    ``within``) are the only ones to look at.
    """
    held = [term for term in terms if term.overlaps(within)]
    days = {within.starts_on} | {term.starts_on for term in held if within.holds_on(term.starts_on)}
    best, first = 0, within.starts_on
    for day in sorted(days):
        count = sum(1 for term in held if term.holds_on(day))
        if count > best:
            best, first = count, day
    return best, first
