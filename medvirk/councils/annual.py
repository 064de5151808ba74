"""The councils' annual report: what each council did in a year, and the service area's.

Meetings held against the plan (the kinds counted in the plan), the themes its items took
up, its advisory resolutions, and the improvement actions its unit completed. The staff
pages and the PDF (papers.py) both read these records, so they say the same.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch

from medvirk.organisation.models import ServiceArea, Unit

from . import selectors
from .models import AgendaItem, Council, ImprovementAction, Meeting, Membership


@dataclass
class CouncilYear:
    council: Council
    year: int
    max_meetings: int
    meetings: list[Meeting]
    planned: int  # meetings of the kinds counted in the plan, not cancelled
    held: int  # of those, held (minutes written or approved)
    dialogue_held: int
    open_assemblies_held: int
    other_held: int  # election meetings and neighbourhood conferences
    themes: list[tuple[str, int]]
    resolutions: list[AgendaItem]
    actions_done: list[ImprovementAction]
    actions_open: int
    members: list[Membership] = field(default_factory=list)

    @property
    def items(self) -> int:
        return sum(count for _theme, count in self.themes)


def council_year(council: Council, year: int) -> CouncilYear:
    settings = selectors.settings_for(council.unit.service_area.municipality)
    meetings = list(
        Meeting.objects.filter(council=council, plan__year=year)
        .prefetch_related(Prefetch("items", queryset=AgendaItem.objects.order_by("number")))
        .order_by("starts_at")
    )
    counted = [m for m in meetings if m.counts_in_plan]
    held = [m for m in meetings if m.was_held]
    items = [
        item
        for meeting in held
        for item in meeting.items.all()
        if item.kind == AgendaItem.Kind.ITEM
    ]
    themes = Counter(item.theme or "" for item in items)
    actions = ImprovementAction.objects.filter(unit=council.unit)
    year_end = min(date(year, 12, 31), max(date(year, 1, 1), _today()))
    return CouncilYear(
        council=council,
        year=year,
        max_meetings=settings.max_meetings,
        meetings=meetings,
        planned=len(counted),
        held=sum(1 for m in counted if m.was_held),
        dialogue_held=sum(1 for m in held if m.kind == Meeting.Kind.DIALOGUE),
        open_assemblies_held=sum(1 for m in held if m.kind == Meeting.Kind.OPEN_ASSEMBLY),
        other_held=sum(1 for m in held if not m.counts_in_plan),
        themes=sorted(themes.items(), key=lambda pair: (-pair[1], pair[0])),
        resolutions=[item for item in items if item.resolution],
        actions_done=list(
            actions.filter(status=ImprovementAction.Status.DONE, completed_on__year=year).order_by(
                "completed_on"
            )
        ),
        actions_open=actions.filter(
            status__in=[ImprovementAction.Status.PLANNED, ImprovementAction.Status.IN_PROGRESS]
        ).count(),
        members=selectors.members_on(council, year_end),
    )


def _today() -> date:
    from django.utils import timezone

    return timezone.localdate()


@dataclass
class AreaYear:
    area: ServiceArea
    year: int
    rows: list[CouncilYear]
    without_council: list[Unit]

    @property
    def planned(self) -> int:
        return sum(row.planned for row in self.rows)

    @property
    def held(self) -> int:
        return sum(row.held for row in self.rows)

    @property
    def resolutions(self) -> int:
        return sum(len(row.resolutions) for row in self.rows)

    @property
    def actions_done(self) -> int:
        return sum(len(row.actions_done) for row in self.rows)

    @property
    def items(self) -> int:
        return sum(row.items for row in self.rows)

    @property
    def themes(self) -> list[tuple[str, int]]:
        total: Counter[str] = Counter()
        for row in self.rows:
            total.update(dict(row.themes))
        return sorted(total.items(), key=lambda pair: (-pair[1], pair[0]))

    @property
    def without_dialogue(self) -> list[CouncilYear]:
        return [row for row in self.rows if not row.dialogue_held]


def area_year(area: ServiceArea, year: int) -> AreaYear:
    councils = Council.objects.filter(unit__service_area=area).select_related(
        "unit__service_area__municipality", "unit__district"
    )
    return AreaYear(
        area=area,
        year=year,
        rows=[council_year(council, year) for council in councils.order_by("unit__name")],
        without_council=list(
            Unit.objects.filter(service_area=area, is_active=True, council__isnull=True).order_by(
                "name"
            )
        ),
    )
