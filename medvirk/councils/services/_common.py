"""What the councils' services share: the audit entry with what changed, and the
refusals every write of a meeting checks first."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.organisation.models import Municipality, User
from medvirk.organisation.services import audit_record

from ..models import Council, Meeting


def _shown(value: object) -> object:
    """A value as the audit log keeps it: JSON-friendly and readable later."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value)


def _snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, object]:
    return {name: _shown(getattr(instance, name)) for name in fields}


def _changes(before: Mapping[str, object], after: Mapping[str, object]) -> dict[str, object]:
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def _created(after: Mapping[str, object]) -> dict[str, object]:
    return {name: [None, value] for name, value in after.items() if value not in ("", None, [])}


def _municipality(council: Council) -> Municipality:
    return council.unit.service_area.municipality


def _audit(
    actor: User | None,
    council: Council,
    action: str,
    target: models.Model,
    changes: Mapping[str, object] | None = None,
) -> None:
    audit_record(
        actor=actor,
        municipality=_municipality(council),
        action=action,
        target=target,
        changes=changes,
    )


def _only(data: Mapping[str, Any], allowed: Iterable[str], what: str) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"cannot set {sorted(unknown)} with {what}")


def _locked_meeting(meeting: Meeting) -> Meeting:
    """The meeting's row, locked for this transaction, refused if its minutes are approved."""
    stored = (
        Meeting.objects.select_for_update()
        .select_related("plan", "council__unit")
        .get(pk=meeting.pk)
    )
    if stored.is_locked:
        raise ValidationError(
            _(
                "The minutes of this meeting are approved and locked; nothing in the meeting "
                "can change. Put new matters on a later meeting's agenda."
            ),
            code="locked",
        )
    return stored


def _refuse_cancelled(meeting: Meeting) -> None:
    if meeting.state == Meeting.State.CANCELLED:
        raise ValidationError(_("The meeting is cancelled."), code="cancelled")
