"""What the councils' services share: the audit entry in the council's municipality, and
the refusals every write of a meeting checks first."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from medvirk.organisation.models import Municipality, User
from medvirk.organisation.services import audit_record

from ..models import Council, Meeting


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
