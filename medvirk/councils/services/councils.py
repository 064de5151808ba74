"""Making the councils, one a unit."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from medvirk.organisation.models import Unit, User

from ..models import Council
from ._common import _audit


@transaction.atomic
def council_create(*, actor: User | None, unit: Unit) -> Council:
    if Council.objects.filter(unit=unit).exists():
        raise ValidationError(
            _("%(unit)s already has a user council.") % {"unit": unit.name}, code="exists"
        )
    if not unit.is_active:
        raise ValidationError(
            _("%(unit)s is inactive; an inactive unit gets no new council.") % {"unit": unit.name}
        )
    council = Council(unit=unit)
    council.full_clean()
    council.save()
    _audit(actor, council, "council.create", council, {"unit": [None, unit.name]})
    return council


@transaction.atomic
def councils_create_missing(*, actor: User | None, units: Iterable[Unit]) -> list[Council]:
    """A council for each of ``units`` that has none."""
    return [
        council_create(actor=actor, unit=unit)
        for unit in units
        if unit.is_active and not Council.objects.filter(unit=unit).exists()
    ]
