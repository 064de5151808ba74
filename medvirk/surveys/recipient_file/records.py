"""What reading a recipient file gives: the rows, the problems, the units to match."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True)
class UnitChoice:
    """A unit the round covers, and the services it may be answered for."""

    id: int
    code: str
    name: str
    # every accepted spelling (code, names in any language), already normalised with
    # `normalise_label`, -> service type id
    service_types: Mapping[str, int]


@dataclass(frozen=True)
class RecipientRow:
    row: int  # the row number a spreadsheet shows (header row = 1)
    name: str
    street_address: str
    postal_code: str  # four digits
    place: str
    unit_id: int
    service_type_id: int | None
    language: str  # "nb" | "nn" | "en"
    is_relative: bool


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    row: int | None  # None for a problem with the whole file
    column: str | None  # the column's header as written in the file, when it concerns one
    code: str  # a key of PROBLEM_CODES
    params: Mapping[str, str | int]  # values for the message
    severity: Severity


@dataclass
class ParseResult:
    rows: list[RecipientRow]  # valid rows, duplicates already merged away
    problems: list[Problem]  # sorted by row (file-level first)
    total_rows: int  # data rows read (blank rows not counted)
    columns: dict[str, str] = field(default_factory=dict)  # field -> header as written

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == Severity.WARNING]

    @property
    def invalid_rows(self) -> set[int]:
        """Row numbers with at least one error."""
        return {p.row for p in self.errors if p.row is not None}

    @property
    def ok(self) -> bool:
        """True when nothing in the file is an error (warnings are fine)."""
        return not self.errors
