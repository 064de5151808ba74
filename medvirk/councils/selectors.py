"""Reads of the councils, scoped to one municipality and to what the user may see.

Views never look up a council, meeting or action by an id from the request directly: they
ask here, and an id outside the user's scope is not found. What a council's page warns
about (vacancies, terms ending, a plan that breaks the settings) is worked out here too, so
the staff pages, the commands and the annual report say the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from medvirk.organisation.models import Municipality, Unit
from medvirk.organisation.rules import role_set
from medvirk.results import presentation
from medvirk.results import selectors as results_selectors
from medvirk.results.models import Level, ResultCell, ResultSet
from medvirk.results.presentation import StatementRow
from medvirk.surveys.models import Audience, Round

from . import terms
from .models import (
    AgendaItem,
    Council,
    CouncilSettings,
    Delivery,
    ImprovementAction,
    Meeting,
    MeetingPlan,
    Membership,
    short_date,
)
from .rules import read_scope, run_scope

# Why an agenda item was flagged, by the kind screening.py gives.
FLAG_REASONS = {
    "identity_number": gettext_lazy("a national identity number"),
    "phone": gettext_lazy("a phone number"),
    "email": gettext_lazy("an e-mail address"),
    "relative": gettext_lazy("someone's relative"),
    "resident": gettext_lazy("one particular resident or patient"),
    "decision": gettext_lazy("a decision on one person's services"),
    "name": gettext_lazy("a person's name together with a case"),
}
FIELD_LABELS = {
    "title": gettext_lazy("title"),
    "description": gettext_lazy("background"),
    "proposal": gettext_lazy("proposed advice"),
    "discussion": gettext_lazy("discussion"),
    "resolution": gettext_lazy("advisory resolution"),
}


def settings_for(municipality: Municipality) -> CouncilSettings:
    """The municipality's council settings (made with the municipality, see
    services.council_settings_create)."""
    return CouncilSettings.objects.get(municipality=municipality)


# --- scope ------------------------------------------------------------------------------


def councils_visible(*, user: Any, municipality: Municipality) -> QuerySet[Council]:
    scope = read_scope(role_set(user, municipality.pk))
    if scope.is_empty:
        return Council.objects.none()
    return (
        Council.objects.filter(unit__service_area__municipality=municipality)
        .filter(scope.units_filter("unit__"))
        .select_related("unit__service_area", "unit__district")
        .order_by("unit__name")
    )


def council_get(*, user: Any, municipality: Municipality, pk: int) -> Council:
    found = councils_visible(user=user, municipality=municipality).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def units_without_council(*, user: Any, municipality: Municipality) -> QuerySet[Unit]:
    """Active units the user runs councils for, that have no council yet."""
    units = Unit.objects.filter(
        service_area__municipality=municipality, is_active=True, council__isnull=True
    ).select_related("service_area", "district")
    return units.filter(run_scope(role_set(user, municipality.pk)).units_filter()).order_by("name")


def meetings_visible(*, user: Any, municipality: Municipality) -> QuerySet[Meeting]:
    """Meetings of the councils the user reads, and for politicians the dialogue meetings."""
    roles = role_set(user, municipality.pk)
    meetings = Meeting.objects.filter(
        council__unit__service_area__municipality=municipality
    ).select_related("council__unit__service_area", "council__unit__district", "plan")
    scope = read_scope(roles)
    visible = (
        Q(pk__in=[])
        if scope.is_empty
        else Q(council__in=Council.objects.filter(scope.units_filter("unit__")))
    )
    if roles.is_politician:
        visible |= Q(kind=Meeting.Kind.DIALOGUE)
    if scope.is_empty and not roles.is_politician:
        return meetings.none()
    return meetings.filter(visible)


def meeting_get(*, user: Any, municipality: Municipality, pk: int) -> Meeting:
    found = meetings_visible(user=user, municipality=municipality).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def dialogue_meetings(*, user: Any, municipality: Municipality) -> QuerySet[Meeting]:
    return (
        meetings_visible(user=user, municipality=municipality)
        .filter(kind=Meeting.Kind.DIALOGUE)
        .exclude(state=Meeting.State.CANCELLED)
        .order_by("-starts_at")
    )


def plan_get(*, council: Council, year: int) -> MeetingPlan:
    found = MeetingPlan.objects.filter(council=council, year=year).first()
    if found is None:
        raise Http404
    return found


def item_get(*, meeting: Meeting, pk: int) -> AgendaItem:
    found = meeting.items.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def membership_get(*, council: Council, pk: int) -> Membership:
    found = council.memberships.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def actions_of(council: Council) -> QuerySet[ImprovementAction]:
    return ImprovementAction.objects.filter(unit=council.unit).select_related(
        "round", "advice_item"
    )


def action_get(*, council: Council, pk: int) -> ImprovementAction:
    found = actions_of(council).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


# --- members and their terms ----------------------------------------------------------


# The order members are listed in: the chair, the representatives, then those by office.
ROLE_ORDER = {role: number for number, role in enumerate(Membership.Role.values)}


def _ordered(memberships: Iterable[Membership]) -> list[Membership]:
    return sorted(memberships, key=lambda m: (ROLE_ORDER.get(m.role, 99), m.name))


def members_on(council: Council, day: date) -> list[Membership]:
    return _ordered(m for m in council.memberships.select_related("user") if m.holds_on(day))


def members_past(council: Council, day: date) -> list[Membership]:
    return list(council.memberships.filter(ends_on__lt=day).order_by("-ends_on", "name"))


def members_coming(council: Council, day: date) -> list[Membership]:
    return list(council.memberships.filter(starts_on__gt=day).order_by("starts_on", "name"))


@dataclass
class CouncilStatus:
    """What a council's page says about its members on one day."""

    day: date
    members: list[Membership]
    representatives: list[Membership]
    vacancies: int
    ending_soon: list[Membership] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def council_status(
    council: Council, *, settings: CouncilSettings, day: date | None = None
) -> CouncilStatus:
    day = day or timezone.localdate()
    members = members_on(council, day)
    representatives = [m for m in members if m.is_representative]
    chairs = [m for m in representatives if m.role == Membership.Role.CHAIR]
    vacancies = max(0, settings.max_representatives - len(representatives))
    horizon = terms.add_months(day, settings.term_warning_months)
    coming = members_coming(council, day)
    successors = {m.name.casefold() for m in coming}
    ending = [
        m
        for m in representatives
        if m.ends_on is not None and m.ends_on <= horizon and m.name.casefold() not in successors
    ]
    status = CouncilStatus(day, members, representatives, vacancies, ending)
    warn = status.warnings.append
    if vacancies:
        warn(
            ngettext(
                "%(n)s place for a user representative is vacant (the council may have %(max)s).",
                "%(n)s places for user representatives are vacant (the council may have %(max)s).",
                vacancies,
            )
            % {"n": vacancies, "max": settings.max_representatives}
        )
    if len(representatives) > settings.max_representatives:
        warn(
            _(
                "The council has %(n)s user representatives; the settings allow %(max)s. End "
                "a term before adding anyone."
            )
            % {"n": len(representatives), "max": settings.max_representatives}
        )
    if not chairs:
        warn(_("The council has no chair. Make one of the user representatives the chair."))
    if not any(m.role == Membership.Role.SECRETARY for m in members):
        warn(_("No secretary is registered. The unit manager is the council's secretary."))
    employees = sum(1 for m in members if m.role == Membership.Role.EMPLOYEE)
    if employees < settings.staff_members:
        warn(
            _("%(n)s of the %(wanted)s employees from user-facing work who attend are registered.")
            % {"n": employees, "wanted": settings.staff_members}
        )
    organisations = sum(
        1 for m in representatives if m.represents == Membership.Represents.ORGANISATION
    )
    if organisations and organisations > len(representatives) - organisations:
        warn(
            _(
                "More representatives come from user organisations than from users and "
                "relatives; the rules put users and relatives first."
            )
        )
    untrained = [m.name for m in representatives if m.training_on is None]
    if untrained:
        warn(
            _("Not yet trained in the role: %(names)s. New representatives are offered training.")
            % {"names": ", ".join(untrained)}
        )
    for member in ending:
        assert member.ends_on is not None  # noqa: S101 (filtered above)
        warn(
            _(
                "%(name)s's term ends on %(date)s. Invite users, relatives and user "
                "organisations to an election meeting (allmøte) in time."
            )
            % {"name": member.name, "date": short_date(member.ends_on)}
        )
    return status


# --- plans and meetings ---------------------------------------------------------------


def counted(meetings: list[Meeting]) -> list[Meeting]:
    return [m for m in meetings if m.counts_in_plan]


def plan_meetings(plan: MeetingPlan) -> list[Meeting]:
    return list(plan.meetings.order_by("starts_at"))


def plan_warnings(plan: MeetingPlan, *, settings: CouncilSettings) -> list[str]:
    """What the plan breaks of the settings (the services refuse most of it up front, but
    the settings can change after the plan is made)."""
    meetings = plan_meetings(plan)
    found: list[str] = []
    in_plan = counted(meetings)
    if len(in_plan) > settings.max_meetings:
        found.append(
            _("The plan has %(n)s meetings; the settings allow %(max)s a year.")
            % {"n": len(in_plan), "max": settings.max_meetings}
        )
    assemblies = [m for m in in_plan if m.kind == Meeting.Kind.OPEN_ASSEMBLY]
    if len(assemblies) > settings.max_open_assemblies:
        found.append(
            _("The plan has %(n)s open assemblies; the settings allow %(max)s a year.")
            % {"n": len(assemblies), "max": settings.max_open_assemblies}
        )
    dialogue = [m for m in in_plan if m.kind == Meeting.Kind.DIALOGUE]
    if len(dialogue) < settings.dialogue_meetings:
        found.append(
            ngettext(
                "The plan has no dialogue meeting with politicians; %(n)s of the year's "
                "meetings should be one.",
                "The plan has %(has)s dialogue meetings with politicians; %(n)s of the year's "
                "meetings should be.",
                settings.dialogue_meetings,
            )
            % {"n": settings.dialogue_meetings, "has": len(dialogue)}
        )
    return found


def meeting_warnings(
    meeting: Meeting, *, settings: CouncilSettings, now: datetime | None = None
) -> list[str]:
    now = now or timezone.now()
    found: list[str] = []
    if meeting.state == Meeting.State.PLANNED:
        due = meeting.starts_at - timedelta(days=settings.notice_days)
        if due <= now < meeting.starts_at:
            found.append(
                _(
                    "The notice should go out %(days)s days before the meeting, by %(date)s. "
                    "Send it as soon as the agenda is ready."
                )
                % {"days": settings.notice_days, "date": short_date(timezone.localdate(due))}
            )
        elif meeting.starts_at <= now:
            found.append(_("The meeting has started, but no notice has been sent."))
    return found


def recipients(meeting: Meeting) -> list[Membership]:
    """Who gets the meeting's papers: everyone on the council on the meeting's day."""
    day = timezone.localdate(meeting.starts_at)
    return members_on(meeting.council, day)


def deliveries(meeting: Meeting) -> list[Delivery]:
    """The latest attempt for each recipient and kind of papers."""
    latest: dict[tuple[str, int | None, str], Delivery] = {}
    for delivery in meeting.deliveries.order_by("created_at", "pk"):
        latest[(delivery.papers, delivery.membership_id, delivery.email)] = delivery
    by_member: dict[tuple[str, int | None], Delivery] = {}
    for (papers, member, _email), delivery in latest.items():
        by_member[(papers, member)] = delivery
    return sorted(by_member.values(), key=lambda d: (d.papers, d.name))


@dataclass(frozen=True)
class FlagView:
    field: str
    reason: str
    text: str


def flag_views(item: AgendaItem) -> list[FlagView]:
    shown = []
    for flag in item.flags:
        text = getattr(item, str(flag["field"]), "") or ""
        shown.append(
            FlagView(
                field=str(FIELD_LABELS.get(str(flag["field"]), flag["field"])),
                reason=str(FLAG_REASONS.get(str(flag["kind"]), flag["kind"])),
                text=text[int(flag["start"]) : int(flag["end"])],
            )
        )
    return shown


# --- survey results -------------------------------------------------------------------

SHOWN_STATES = (ResultSet.State.READY, ResultSet.State.PUBLISHED)


def _result_states(user: Any, council: Council) -> tuple[str, ...]:
    """Council members see published results here; those who run the council also results
    that are ready but not yet published (to prepare the meeting about them)."""
    if user.has_perm("councils.manage_council", council):
        return tuple(SHOWN_STATES)
    return (ResultSet.State.PUBLISHED,)


@dataclass
class UnitResults:
    round: Round
    result_set: ResultSet
    cells: list[ResultCell]


def unit_cells(*, user: Any, council: Council) -> list[ResultCell]:
    """The unit's own groups in every round with results the user may see, newest first."""
    cells = (
        ResultCell.objects.filter(
            level=Level.UNIT,
            unit=council.unit,
            result_set__state__in=_result_states(user, council),
            result_set__round__municipality_id=council.municipality_id,
        )
        .select_related("result_set__round__questionnaire", "unit")
        .order_by("-result_set__round__opens_at", "result_set_id")
    )
    # Users before relatives within a round, as on the results pages.
    ordered = sorted(cells, key=lambda c: (c.result_set_id, c.audience != Audience.USERS))
    newest = {c.result_set_id: c.result_set.round.opens_at for c in ordered}
    ordered.sort(key=lambda c: newest[c.result_set_id], reverse=True)
    return [cell for cell in ordered if user.has_perm("results.view_cell", cell)]


def unit_results(*, user: Any, council: Council) -> list[UnitResults]:
    grouped: dict[int, UnitResults] = {}
    for cell in unit_cells(user=user, council=council):
        result_set = cell.result_set
        grouped.setdefault(
            result_set.pk, UnitResults(result_set.round, result_set, [])
        ).cells.append(cell)
    return list(grouped.values())


def attachable_cell_get(*, user: Any, council: Council, pk: int) -> ResultCell:
    for cell in unit_cells(user=user, council=council):
        if cell.pk == pk:
            return cell
    raise Http404


def results_cell(round_: Round, audience: str, key: str) -> ResultCell | None:
    return (
        ResultCell.objects.filter(result_set__round=round_, audience=audience, key=key)
        .select_related("result_set__round__questionnaire", "unit")
        .first()
    )


@dataclass
class ItemFigures:
    """The chosen statements' figures of the group an agenda item carries."""

    round: Round
    cell: ResultCell | None
    rows: list[StatementRow]
    compare_name: str = ""

    @property
    def shown(self) -> bool:
        return self.cell is not None and self.cell.is_shown

    @property
    def group_name(self) -> str:
        if self.cell is None:
            return ""
        return f"{self.cell.name} ({self.cell.get_audience_display()})"


def item_figures(item: AgendaItem, *, public: bool = False) -> ItemFigures | None:
    """``public``: only figures of published results (the public minutes show no others)."""
    if item.results_round is None:
        return None
    cell = results_cell(item.results_round, item.results_audience, item.results_key)
    if public and cell is not None and cell.result_set.state != ResultSet.State.PUBLISHED:
        cell = None
    if cell is None or not cell.is_shown:
        return ItemFigures(item.results_round, cell, [])
    area = results_selectors.area_cell(cell.result_set, cell.audience)
    view = presentation.cell_view(cell, compare=area)
    wanted = set(item.statement_keys)
    return ItemFigures(
        item.results_round,
        cell,
        [row for row in view.rows if row.key in wanted],
        compare_name=view.compare_name,
    )


@dataclass
class StatementMove:
    number: int
    key: str
    text: str
    before: str = "–"
    after: str = "–"
    change: str = ""
    significant: bool = False
    note: str = ""


@dataclass
class Movement:
    """How an action's statements moved from its round to the next one compared with it."""

    baseline: Round | None
    later: Round | None
    rows: list[StatementMove]
    note: str = ""


def _later_round(action: ImprovementAction) -> Round | None:
    later = (
        ResultSet.objects.filter(
            compared_with=action.round,
            state__in=SHOWN_STATES,
            round__municipality_id=action.unit.municipality_id,
        )
        .select_related("round")
        .order_by("round__opens_at")
        .first()
    )
    return later.round if later is not None else None


def action_movement(action: ImprovementAction) -> Movement:
    baseline = action.round
    if baseline is None or not action.statement_keys:
        return Movement(None, None, [])
    key = f"unit-{action.unit_id}"
    spec = presentation.spec_for(baseline, action.audience)
    before_cell = results_cell(baseline, action.audience, key)
    before = _rows(before_cell)
    later = _later_round(action)
    after_cell = results_cell(later, action.audience, key) if later is not None else None
    after = _rows(after_cell)
    language_rows = {s.key: s for s in spec.statements}
    rows: list[StatementMove] = []
    for statement_key in action.statement_keys:
        statement = language_rows.get(statement_key)
        if statement is None:
            continue
        old, new = before.get(statement_key), after.get(statement_key)
        move = StatementMove(
            number=statement.number,
            key=statement_key,
            text=statement.text.get(get_language() or "nb"),
            before=old.mean_text if old and old.summary else "–",
            after=new.mean_text if new and new.summary else "–",
        )
        if new is not None and new.change:
            move.change = new.change_text
            move.significant = new.change_significant
        elif later is not None:
            move.note = _("No comparison: too few answers in one of the rounds.")
        rows.append(move)
    note = ""
    if later is None:
        note = _("No later survey has results compared with %(round)s yet.") % {
            "round": baseline.name
        }
    elif after_cell is None or not after_cell.is_shown:
        note = _("The unit's results in %(round)s are hidden: too few answered.") % {
            "round": later.name
        }
    return Movement(baseline, later, rows, note)


def _rows(cell: ResultCell | None) -> dict[str, StatementRow]:
    if cell is None or not cell.is_shown:
        return {}
    return {row.key: row for row in presentation.cell_view(cell).rows}


def statement_choices(council: Council) -> list[tuple[str, list[tuple[str, str]]]]:
    """Statements an action can be linked to, grouped by respondents, as ``aud:key`` values:
    those of the questionnaires of the rounds the unit has results in."""
    rounds = (
        Round.objects.filter(
            result_set__state__in=SHOWN_STATES,
            round_units__unit=council.unit,
            municipality_id=council.municipality_id,
        )
        .select_related("questionnaire", "relatives_questionnaire")
        .order_by("-opens_at")
    )
    groups: dict[str, dict[str, str]] = {}
    titles: dict[str, str] = {}
    language = get_language() or "nb"
    for round_ in rounds:
        for audience in (Audience.USERS, Audience.RELATIVES):
            questionnaire = round_.questionnaire_for(is_relative=audience == Audience.RELATIVES)
            if audience == Audience.RELATIVES and round_.relatives_questionnaire_id is None:
                continue
            spec = questionnaire.spec
            titles.setdefault(audience, f"{Audience(audience).label}: {spec.title.get(language)}")
            for statement in spec.statements:
                groups.setdefault(audience, {}).setdefault(
                    f"{audience}:{statement.key}",
                    f"{statement.number}. {statement.text.get(language)}",
                )
    return [
        (titles[a], list(groups[a].items()))
        for a in (Audience.USERS, Audience.RELATIVES)
        if a in groups
    ]


def rounds_for_actions(council: Council) -> QuerySet[Round]:
    return (
        Round.objects.filter(
            result_set__state__in=SHOWN_STATES,
            round_units__unit=council.unit,
            municipality_id=council.municipality_id,
        )
        .distinct()
        .order_by("-opens_at")
    )


# --- the public pages -----------------------------------------------------------------


def public_councils(*, municipality: Municipality) -> QuerySet[Council]:
    return (
        Council.objects.filter(unit__service_area__municipality=municipality, unit__is_active=True)
        .select_related("unit__district", "unit__service_area")
        .order_by("unit__district__name", "unit__name")
    )


def public_council_get(*, municipality: Municipality, pk: int) -> Council:
    found = public_councils(municipality=municipality).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def public_members(council: Council, day: date | None = None) -> list[Membership]:
    """Members whose names may be published: only those who consented, and only now."""
    day = day or timezone.localdate()
    return [m for m in members_on(council, day) if m.public_consent]


def public_meetings(council: Council) -> QuerySet[Meeting]:
    """Meeting dates of last year, this year and later (not cancelled ones)."""
    since = timezone.localdate().year - 1
    return (
        council.meetings.filter(plan__year__gte=since)
        .exclude(state=Meeting.State.CANCELLED)
        .order_by("starts_at")
    )


def public_minutes(council: Council) -> QuerySet[Meeting]:
    return council.meetings.filter(state=Meeting.State.MINUTES_APPROVED).order_by("-starts_at")


def public_minutes_get(council: Council, pk: int) -> Meeting:
    found = public_minutes(council).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def public_name(membership: Membership) -> str:
    """A member's name where it may be shown to anyone, or what they are without it."""
    if membership.public_consent:
        return membership.name
    return _("%(role)s (name not published)") % {"role": membership.get_role_display()}
