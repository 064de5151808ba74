"""The notice, the minutes and their approval, after which nothing in the meeting
changes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medvirk.organisation.models import User

from .. import selectors
from ..models import AgendaItem, Attendance, Delivery, Meeting
from ._common import _audit, _locked_meeting, _refuse_cancelled
from .agenda import _screen, _unconfirmed
from .mail import queue_papers

# What the minutes usually say under the standing items (offered, never required).
STANDING_RESOLUTIONS: dict[str, Promise] = {
    AgendaItem.Kind.NOTICE_APPROVAL: gettext_lazy("The notice and the agenda were approved."),
    AgendaItem.Kind.MINUTES_APPROVAL: gettext_lazy(
        "The minutes of the last meeting were approved."
    ),
    AgendaItem.Kind.ORIENTATIONS: gettext_lazy("The council took the orientations into account."),
}


@transaction.atomic
def meeting_send_notice(*, actor: User | None, meeting: Meeting, send_mail: bool = True) -> Meeting:
    """Send the notice with the agenda to the members: planned → notice sent.

    Refused while an item may be about an individual case and is not confirmed.
    """
    stored = _locked_meeting(meeting)
    _refuse_cancelled(stored)
    if stored.state != Meeting.State.PLANNED:
        raise ValidationError(
            _("The notice has already been sent. Use “Send again” to send it once more."),
            code="sent",
        )
    problems = _unconfirmed(stored)
    if problems:
        raise ValidationError(problems, code="individual_case")
    stored.state = Meeting.State.NOTICE_SENT
    stored.notice_sent_at = timezone.now()
    stored.save(update_fields=["state", "notice_sent_at"])
    _audit(
        actor,
        stored.council,
        "council.notice_send",
        stored,
        {"state": [Meeting.State.PLANNED, stored.state]},
    )
    if send_mail:
        queue_papers(actor, stored, Delivery.Papers.NOTICE)
    return stored


@transaction.atomic
def meeting_record_minutes(
    *,
    actor: User | None,
    meeting: Meeting,
    attendance: Mapping[int, str],
    items: Mapping[int, tuple[str, str]],
    outcome: str = "",
    participants: int | None = None,
    now: datetime | None = None,
) -> Meeting:
    """Write the minutes: who came or sent apologies, and each item's discussion and
    advisory resolution. The first time, the meeting moves from notice sent to held."""
    stored = _locked_meeting(meeting)
    _refuse_cancelled(stored)
    now = now or timezone.now()
    _check_minutes_due(stored, now)
    _record_attendance(stored, attendance)
    _record_items(stored, items)
    stored.outcome = outcome.strip()
    stored.participants = participants
    before = stored.state
    if stored.state == Meeting.State.NOTICE_SENT:
        stored.state = Meeting.State.HELD
        stored.held_at = now
    stored.full_clean()
    stored.save()
    _audit(
        actor,
        stored.council,
        "council.minutes_record",
        stored,
        {"state": [before, stored.state]}
        if before != stored.state
        else {"minutes": [None, "changed"]},
    )
    return stored


def _check_minutes_due(meeting: Meeting, now: datetime) -> None:
    """Minutes are written for a meeting the members were called to, once it has started."""
    if meeting.state == Meeting.State.PLANNED:
        raise ValidationError(
            _(
                "Send the notice first: minutes are written for a meeting the members were "
                "called to."
            ),
            code="not_noticed",
        )
    if meeting.starts_at > now:
        raise ValidationError(
            _("The meeting starts on %(date)s; write the minutes once it has started.")
            % {
                "date": formats.date_format(
                    timezone.localtime(meeting.starts_at), "SHORT_DATETIME_FORMAT"
                )
            },
            code="not_started",
        )


def _record_attendance(meeting: Meeting, attendance: Mapping[int, str]) -> None:
    members = {m.pk: m for m in selectors.recipients(meeting)}
    unknown = set(attendance) - set(members)
    if unknown:
        raise ValidationError(_("Attendance can only be given for the council's members."))
    statuses = set(Attendance.Status.values)
    for membership_id, status in attendance.items():
        if status not in statuses:
            raise ValidationError(_("Choose present, apologies or absent for each member."))
        Attendance.objects.update_or_create(
            meeting=meeting, membership=members[membership_id], defaults={"status": status}
        )


def _record_items(meeting: Meeting, items: Mapping[int, tuple[str, str]]) -> None:
    """Each item's discussion and advisory resolution, screened for individual cases."""
    by_pk = {item.pk: item for item in meeting.items.all()}
    if set(items) - set(by_pk):
        raise ValueError("minutes for items of another meeting")
    for pk, (discussion, resolution) in items.items():
        item = by_pk[pk]
        item.discussion, item.resolution = discussion.strip(), resolution.strip()
        _screen(item)
        item.full_clean()
        item.save()


@transaction.atomic
def meeting_approve_minutes(
    *, actor: User | None, meeting: Meeting, send_mail: bool = True
) -> Meeting:
    """Approve the minutes: held → minutes approved, locked for good, sent to the members."""
    stored = _locked_meeting(meeting)
    _refuse_cancelled(stored)
    if stored.state != Meeting.State.HELD:
        raise ValidationError(
            _("Write the minutes first: who attended and each item's advisory resolution."),
            code="not_held",
        )
    problems = []
    if not stored.attendance.exists():
        problems.append(_("Record who attended and who sent apologies."))
    for item in stored.items.order_by("number"):
        if not item.discussion and not item.resolution:
            problems.append(
                _(
                    "Item %(number)s “%(title)s” has neither a discussion nor an advisory "
                    "resolution."
                )
                % {"number": item.label, "title": item.display_title}
            )
    problems += _unconfirmed(stored)
    if problems:
        raise ValidationError(problems, code="incomplete")
    stored.state = Meeting.State.MINUTES_APPROVED
    stored.minutes_approved_at = timezone.now()
    stored.minutes_approved_by = actor
    stored.save(update_fields=["state", "minutes_approved_at", "minutes_approved_by"])
    _audit(
        actor,
        stored.council,
        "council.minutes_approve",
        stored,
        {"state": [Meeting.State.HELD, stored.state]},
    )
    if send_mail:
        queue_papers(actor, stored, Delivery.Papers.MINUTES)
    return stored


@transaction.atomic
def meeting_resend(
    *, actor: User | None, meeting: Meeting, papers: str, failed_only: bool = True
) -> None:
    """Send a meeting's papers again: to those they did not reach (after their address was
    corrected), or to everyone (after the agenda changed)."""
    stored = Meeting.objects.select_related("council__unit").get(pk=meeting.pk)
    if papers == Delivery.Papers.NOTICE and stored.state in (
        Meeting.State.PLANNED,
        Meeting.State.CANCELLED,
    ):
        raise ValidationError(_("The notice has not been sent yet."))
    if papers == Delivery.Papers.MINUTES and stored.state != Meeting.State.MINUTES_APPROVED:
        raise ValidationError(_("The minutes are sent once they are approved."))
    only: list[int] | None = None
    if failed_only:
        only = [
            d.membership_id
            for d in selectors.deliveries(stored)
            if d.papers == papers and d.status != Delivery.Status.SENT and d.membership_id
        ]
        if not only:
            raise ValidationError(_("Everyone with an e-mail address has received them."))
    _audit(
        actor,
        stored.council,
        "council.papers_resend",
        stored,
        {"papers": [None, papers], "recipients": [None, "failed" if failed_only else "all"]},
    )
    queue_papers(actor, stored, papers, only)
