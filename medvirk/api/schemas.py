"""What the API's operations return, as the schema documents it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: list[dict[str, Any]]


class AudienceTotalsOut(Schema):
    audience: str
    invited: int
    responses: int
    response_rate: float | None


class RoundOut(Schema):
    id: int
    name: str
    state: str
    service_area: str
    opens_at: datetime
    closes_at: datetime
    closed_at: datetime | None
    invited: int
    responses: int
    response_rate: float | None
    audiences: list[AudienceTotalsOut]


class UnitProgressOut(Schema):
    unit_id: int
    unit: str
    invited: int
    responses: int
    response_rate: float | None


class RoundDetailOut(RoundOut):
    units: list[UnitProgressOut]


class PublishedOut(Schema):
    round_id: int
    round_name: str
    service_area: str
    opens_at: datetime
    closes_at: datetime
    computed_at: datetime
    published_at: datetime | None
    responses: int
    min_n: int
    audiences: list[str]


class StatementOut(Schema):
    number: int
    key: str
    text: str
    section: str
    suppressed: bool
    reason: str
    n: int | None = None
    mean: float | None = None
    interval_low: float | None = None
    interval_high: float | None = None
    agree_percent: int | None = None
    dont_know_percent: int | None = None
    importance: float | None = None
    change: float | None = None
    change_significant: bool | None = None


class SectionOut(Schema):
    key: str
    title: str
    suppressed: bool
    reason: str
    index: float | None = None
    interval_low: float | None = None
    interval_high: float | None = None
    change: float | None = None


class FiguresOut(Schema):
    invited: int | None
    sections: list[SectionOut]
    statements: list[StatementOut]


class GroupOut(Schema):
    key: str
    level: str
    name: str
    district: str | None
    responses: int
    response_rate_percent: int | None
    shown: bool
    reason: str
    figures: FiguresOut | None


class ResultOut(Schema):
    round_id: int
    round_name: str
    audience: str
    min_n: int
    groups: list[GroupOut]


class TaskOut(Schema):
    id: uuid.UUID
    kind: str
    status: str
    progress_done: int
    progress_total: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    result: dict[str, Any] | None
    error: str
    status_url: str
