"""User councils (brukerråd): members and their terms, meeting plans, meetings with their
agendas and minutes, participants of open meetings, papers sent by e-mail, and each unit's
improvement plan. This package presents them all; its modules follow the aggregates.

The seed's rules are settings (``CouncilSettings``), one row per municipality made with
it, with the seed's numbers. Limits that depend on those settings or on dates (five
representatives at once, one chair, no overlapping terms, five meetings a year) are
enforced by the services with a message that says what to do; the database holds what does
not depend on them. A meeting moves planned → notice sent → held → minutes approved, each
with its time; approved minutes are locked, and the services refuse any change to them.

People on a council are often not Medvirk users, so a ``Membership`` is data (a name, how
to reach them, their role and term), linked to a user only where there is one. Their names
are public only with their consent.
"""

from __future__ import annotations

from ._format import short_date
from .actions import ImprovementAction
from .agenda import AgendaItem
from .councils import Council
from .meetings import Attendance, Delivery, Meeting, MeetingPlan, Registration
from .members import Membership
from .settings import CouncilSettings

__all__ = [
    "AgendaItem",
    "Attendance",
    "Council",
    "CouncilSettings",
    "Delivery",
    "ImprovementAction",
    "Meeting",
    "MeetingPlan",
    "Membership",
    "Registration",
    "short_date",
]
