"""The audit log's vocabulary: every action a service records, with a readable label, and
the one way every module states what changed.

Services call ``medvirk.organisation.services.audit_record`` with ``changes`` built here
(``snapshot`` before and after, then ``changes``; ``created`` for a new object); the log page
shows the action's label and each change under its label. Each module adds its own actions
with ``register_actions``, and labels for changes that are not model fields with
``register_change_labels``, from its ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
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
    "user.provider_link": _("Linked to the sign-in provider"),
}


def register_actions(labels: Mapping[str, Promise]) -> None:
    """Add a module's actions. An action name is never reused with another meaning."""
    clashes = {name for name in labels if name in ACTION_LABELS}
    if clashes:
        raise ValueError(f"audit actions already registered: {sorted(clashes)}")
    ACTION_LABELS.update(labels)


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


# --- what changed ----------------------------------------------------------------------

# A value as the log keeps it. JSON, so the entry reads the same after the object is gone,
# and one format whichever module records it: times in the municipality's local time as a
# person types them (07.12.2026 14:30), files by name, objects by their name, lists of names.
AuditValue = str | int | bool | list[str] | None


def shown(value: object) -> AuditValue:
    """``value`` in the audit log's one format."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, AuditValue]:
    """The named fields of ``instance`` as the log keeps them; compare two with ``changes``."""
    return {name: shown(getattr(instance, name)) for name in fields}


def changes(
    before: Mapping[str, AuditValue], after: Mapping[str, AuditValue]
) -> dict[str, list[AuditValue]]:
    """``{field: [before, after]}`` for each field of ``after`` whose value differs."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def created(after: Mapping[str, AuditValue]) -> dict[str, list[AuditValue]]:
    """The changes of a new object: every field that was given a value, from nothing."""
    return {name: [None, value] for name, value in after.items() if value not in ("", None, [])}


# Labels for the keys of ``changes`` that are not fields of the object changed (a count of
# recipients, the kind of letters printed); fields are named by their model's verbose name.
CHANGE_LABELS: dict[str, Promise] = {
    "role": _("Role"),
    "attempts": _("Failed sign-in attempts"),
}


def register_change_labels(labels: Mapping[str, Promise]) -> None:
    """Add a module's labels for changes that are not model fields; one meaning per key."""
    clashes = {key for key, label in labels.items() if CHANGE_LABELS.get(key, label) != label}
    if clashes:
        raise ValueError(f"audit change labels already registered otherwise: {sorted(clashes)}")
    CHANGE_LABELS.update(labels)


@dataclass(frozen=True)
class ChangeRow:
    label: str
    before: AuditValue
    after: AuditValue


def change_label(target_type: str, key: str) -> str:
    """What the log page calls ``key`` of an object of ``target_type`` (``app.model``).

    A field of the object by its model's name for it, then a module's registered label; a
    key that is neither (a statement key, a letter template's path) is an identifier a reader
    recognises as it is.
    """
    try:
        field = apps.get_model(target_type)._meta.get_field(key)
    except (LookupError, ValueError, FieldDoesNotExist):
        field = None
    # Reverse relations have no verbose name of their own: they fall through to the labels.
    verbose_name = getattr(field, "verbose_name", None)
    if verbose_name:
        return capfirst(str(verbose_name))
    if key in CHANGE_LABELS:
        return str(CHANGE_LABELS[key])
    return key


def _readable(value: AuditValue) -> AuditValue:
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, list):
        return ", ".join(value)
    return value


def change_rows(target_type: str, entry_changes: Mapping[str, Any]) -> list[ChangeRow]:
    """An entry's changes as the log page shows them: a label, the value before and after."""
    return [
        ChangeRow(change_label(target_type, key), _readable(values[0]), _readable(values[1]))
        for key, values in entry_changes.items()
    ]
