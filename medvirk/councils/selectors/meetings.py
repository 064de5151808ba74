"""Plans, meetings and agenda items as the pages show them, with their warnings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from medvirk.core.models import BackgroundTask

from ..models import (
    AgendaItem,
    CouncilSettings,
    Delivery,
    Meeting,
    MeetingPlan,
    Membership,
    short_date,
)
from .members import members_on

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


def papers_sending(meeting: Meeting) -> list[BackgroundTask]:
    """The meeting's papers the worker has yet to send (queued or being sent)."""
    return list(
        BackgroundTask.objects.filter(
            kind=Delivery.TASK,
            params__meeting=meeting.pk,
            status__in=(BackgroundTask.Status.QUEUED, BackgroundTask.Status.RUNNING),
        ).order_by("created_at")
    )


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
