"""Reads of the councils, scoped to one municipality and to what the user may see. This
package presents them all; its modules follow what is read (councils and their scope,
members, meetings, survey results, the public pages).

Views never look up a council, meeting or action by an id from the request directly: they
ask here, and an id outside the user's scope is not found. What a council's page warns
about (vacancies, terms ending, a plan that breaks the settings) is worked out here too, so
the staff pages, the commands and the annual report say the same.
"""

from __future__ import annotations

from .councils import (
    action_get,
    actions_of,
    council_get,
    councils_visible,
    dialogue_meetings,
    item_get,
    meeting_get,
    meetings_visible,
    membership_get,
    plan_get,
    settings_for,
    units_without_council,
)
from .meetings import (
    FIELD_LABELS,
    FLAG_REASONS,
    FlagView,
    counted,
    deliveries,
    flag_views,
    meeting_warnings,
    papers_sending,
    plan_meetings,
    plan_warnings,
    recipients,
)
from .members import (
    ROLE_ORDER,
    CouncilStatus,
    council_status,
    members_coming,
    members_on,
    members_past,
)
from .public import (
    public_council_get,
    public_councils,
    public_meetings,
    public_members,
    public_minutes,
    public_minutes_get,
    public_name,
)
from .results import (
    SHOWN_STATES,
    ItemFigures,
    Movement,
    StatementMove,
    UnitResults,
    action_movement,
    attachable_cell_get,
    item_figures,
    results_cell,
    rounds_for_actions,
    statement_choices,
    unit_cells,
    unit_results,
)

__all__ = [
    "CouncilStatus",
    "FIELD_LABELS",
    "FLAG_REASONS",
    "FlagView",
    "ItemFigures",
    "Movement",
    "ROLE_ORDER",
    "SHOWN_STATES",
    "StatementMove",
    "UnitResults",
    "action_get",
    "action_movement",
    "actions_of",
    "attachable_cell_get",
    "council_get",
    "council_status",
    "councils_visible",
    "counted",
    "deliveries",
    "dialogue_meetings",
    "flag_views",
    "item_figures",
    "item_get",
    "meeting_get",
    "meeting_warnings",
    "papers_sending",
    "meetings_visible",
    "members_coming",
    "members_on",
    "members_past",
    "membership_get",
    "plan_get",
    "plan_meetings",
    "plan_warnings",
    "public_council_get",
    "public_councils",
    "public_meetings",
    "public_members",
    "public_minutes",
    "public_minutes_get",
    "public_name",
    "recipients",
    "results_cell",
    "rounds_for_actions",
    "settings_for",
    "statement_choices",
    "unit_cells",
    "unit_results",
    "units_without_council",
]
