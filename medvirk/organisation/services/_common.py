"""What the organisation's services share: the audit entry, and creating or changing an
object with the entry that says what changed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import models

from .. import audit
from ..audit import ACTION_LABELS
from ..models import (
    AuditEntry,
    Municipality,
    User,
)

M = TypeVar("M", bound=models.Model)

SYSTEM_ACTOR_NAME = "Medvirk"

# --- audit log -------------------------------------------------------------------------


def audit_record(
    *,
    actor: User | None,
    municipality: Municipality | None,
    action: str,
    target: models.Model,
    changes: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Write one audit entry. Call it inside the transaction of the change it records."""
    if action not in ACTION_LABELS:
        raise ValueError(f"unregistered audit action {action!r}")
    return AuditEntry.objects.create(
        municipality=municipality,
        actor=actor,
        actor_name=(str(actor) if actor is not None else SYSTEM_ACTOR_NAME)[:200],
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk or ""),
        target_repr=str(target)[:300],
        changes=dict(changes or {}),
    )


def _create(
    *,
    actor: User | None,
    municipality: Municipality,
    instance: M,
    fields: Iterable[str],
    action: str,
) -> M:
    instance.full_clean()
    instance.save()
    changes = audit.created(audit.snapshot(instance, fields))
    audit_record(
        actor=actor, municipality=municipality, action=action, target=instance, changes=changes
    )
    return instance


def _update(
    *,
    actor: User | None,
    municipality: Municipality,
    instance: M,
    data: Mapping[str, Any],
    allowed: Iterable[str],
    action: str,
) -> M:
    allowed = tuple(allowed)
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)} with {action}")
    # Compare with the stored row: a ModelForm has already changed ``instance`` in memory.
    stored = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    before = audit.snapshot(stored, allowed)
    for name, value in data.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    changes = audit.changes(before, audit.snapshot(instance, allowed))
    if changes:
        audit_record(
            actor=actor, municipality=municipality, action=action, target=instance, changes=changes
        )
    return instance
