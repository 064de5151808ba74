from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from medvirk.organisation.models import Municipality


class CouncilsConfig(AppConfig):
    name = "medvirk.councils"
    verbose_name = _("User councils")

    def ready(self) -> None:
        from medvirk.organisation import services as organisation
        from medvirk.organisation.audit import register_actions, register_change_labels

        from . import rules, tasks  # noqa: F401  (registers the permissions and the task)

        organisation.after_municipality_create.register(_settings_for)

        register_actions(
            {
                "council.settings_update": _("User council settings changed"),
                "council.create": _("User council created"),
                "council.member_add": _("Council member added"),
                "council.member_update": _("Council member changed"),
                "council.member_end": _("Council member's term ended"),
                "council.plan_create": _("Meeting plan created"),
                "council.meeting_create": _("Council meeting planned"),
                "council.meeting_update": _("Council meeting changed"),
                "council.meeting_cancel": _("Council meeting cancelled"),
                "council.notice_send": _("Notice of council meeting sent"),
                "council.minutes_record": _("Council minutes written"),
                "council.minutes_approve": _("Council minutes approved"),
                "council.papers_resend": _("Council papers sent again"),
                "council.item_add": _("Agenda item added"),
                "council.item_update": _("Agenda item changed"),
                "council.item_delete": _("Agenda item removed"),
                "council.item_confirm": _("Agenda item confirmed as not an individual case"),
                "council.item_results": _("Survey results attached to agenda item"),
                "council.registration_add": _("Participant registered"),
                "council.registration_update": _("Participant registration changed"),
                "council.registration_remove": _("Participant registration removed"),
                "council.action_create": _("Improvement action created"),
                "council.action_update": _("Improvement action changed"),
            }
        )
        register_change_labels(
            {
                "number": _("Item number"),
                "flags": _("Flags"),
                "results": _("Survey results"),
                "statements": _("Statements"),
                "papers": _("Papers"),
                "recipients": _("Recipients"),
                "registration": _("Participant"),
                "attended": _("Attendance"),
            }
        )


def _settings_for(municipality: Municipality) -> object:
    """Every municipality has council settings from the start, so reading never writes."""
    from .services import council_settings_create

    return council_settings_create(municipality=municipality)
