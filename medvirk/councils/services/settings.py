"""The municipality's rules for its councils."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from medvirk.organisation import audit
from medvirk.organisation.models import Municipality, User
from medvirk.organisation.services import audit_record

from .. import selectors
from ..models import CouncilSettings
from ._common import _only

SETTINGS_FIELDS = (
    "max_representatives",
    "max_chairs",
    "term_years",
    "term_warning_months",
    "max_meetings",
    "max_open_assemblies",
    "dialogue_meetings",
    "staff_members",
    "notice_days",
    "themes",
    "rules",
)


def council_settings_create(*, municipality: Municipality) -> CouncilSettings:
    """A new municipality's council settings: the seed's rules, until an administrator
    changes them. Called where the municipality is made, so reading them never writes."""
    created = CouncilSettings(municipality=municipality)
    created.full_clean()
    created.save()
    return created


@transaction.atomic
def council_settings_update(
    *, actor: User | None, municipality: Municipality, data: Mapping[str, Any]
) -> CouncilSettings:
    _only(data, SETTINGS_FIELDS, "council_settings_update")
    found = selectors.settings_for(municipality)
    stored = CouncilSettings.objects.select_for_update().get(pk=found.pk)
    before = audit.snapshot(stored, SETTINGS_FIELDS)
    for name, value in data.items():
        setattr(stored, name, value)
    stored.updated_at = timezone.now()
    stored.full_clean()
    stored.save()
    changes = audit.changes(before, audit.snapshot(stored, SETTINGS_FIELDS))
    if changes:
        audit_record(
            actor=actor,
            municipality=municipality,
            action="council.settings_update",
            target=stored,
            changes=changes,
        )
    return stored
