"""Every write to the councils, each one atomic, validated and written to the audit log.
This package presents them all; its modules follow the aggregates (settings, councils,
members, meetings, agenda, minutes, actions) and the e-mail that carries the papers.

Staff pages, management commands and the demo all come through here. Functions take
keyword arguments only and are named ``<entity>_<verb>``; ``actor`` is the staff user
doing it, or ``None`` for the system (commands, the demo).

The rules that depend on the municipality's settings are checked here with a message that
says what to do: at most five user representatives at once (the chair among them), one
chair, terms of at most two years that never overlap for one person, at most five meetings
in a year's plan (one of them an open assembly), each meeting inside its plan's year. A
meeting's state changes only forwards, and once its minutes are approved nothing in it
changes.

Papers go to the members by e-mail after the transaction commits (``transaction.on_commit``);
each recipient's delivery is recorded, so an address that bounces is shown on the meeting's
page and the others still get theirs.
"""

from __future__ import annotations

from .actions import action_create, action_update
from .agenda import (
    ITEM_FIELDS,
    agenda_item_add,
    agenda_item_attach_results,
    agenda_item_confirm,
    agenda_item_delete,
    agenda_item_detach_results,
    agenda_item_update,
)
from .councils import council_create, councils_create_missing
from .meetings import (
    meeting_cancel,
    meeting_create,
    meeting_plan_create,
    meeting_update,
    registration_add,
    registration_remove,
    registration_update,
)
from .members import membership_add, membership_end, membership_update
from .minutes import (
    STANDING_RESOLUTIONS,
    meeting_approve_minutes,
    meeting_record_minutes,
    meeting_resend,
    meeting_send_notice,
)
from .settings import SETTINGS_FIELDS, council_settings_create, council_settings_update

__all__ = [
    "ITEM_FIELDS",
    "SETTINGS_FIELDS",
    "STANDING_RESOLUTIONS",
    "action_create",
    "action_update",
    "agenda_item_add",
    "agenda_item_attach_results",
    "agenda_item_confirm",
    "agenda_item_delete",
    "agenda_item_detach_results",
    "agenda_item_update",
    "council_create",
    "council_settings_create",
    "council_settings_update",
    "councils_create_missing",
    "meeting_approve_minutes",
    "meeting_cancel",
    "meeting_create",
    "meeting_plan_create",
    "meeting_record_minutes",
    "meeting_resend",
    "meeting_send_notice",
    "meeting_update",
    "membership_add",
    "membership_end",
    "membership_update",
    "registration_add",
    "registration_remove",
    "registration_update",
]
