"""The audit log's vocabulary: every action a service records, with a readable label.

Services call ``medvirk.organisation.services.audit_record``; the log page shows the label.
Each module adds its own actions with ``register_actions`` from its ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, Promise] = {
    "municipality.create": _("Municipality created"),
    "municipality.update": _("Municipality settings changed"),
    "service_area.create": _("Service area created"),
    "service_area.update": _("Service area changed"),
    "district.create": _("District created"),
    "district.update": _("District changed"),
    "unit.create": _("Unit created"),
    "unit.update": _("Unit changed"),
    "service.add": _("Service added to unit"),
    "service.remove": _("Service removed from unit"),
    "service_type.create": _("Service type created"),
    "service_type.update": _("Service type changed"),
    "user.create": _("User created"),
    "user.update": _("User changed"),
    "user.set_password": _("Password set"),
    "role.assign": _("Role assigned"),
    "role.revoke": _("Role removed"),
    "user.two_factor_enrol": _("Two-factor sign-in set up"),
    "user.two_factor_backup_codes": _("New backup codes made"),
    "user.two_factor_reset": _("Two-factor sign-in removed"),
    "user.signin_unlock": _("Sign-in lock opened"),
}


def register_actions(labels: Mapping[str, Promise]) -> None:
    """Add a module's actions. An action name is never reused with another meaning."""
    clashes = {name for name in labels if name in ACTION_LABELS}
    if clashes:
        raise ValueError(f"audit actions already registered: {sorted(clashes)}")
    ACTION_LABELS.update(labels)


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
