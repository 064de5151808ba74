"""Survey rounds: made, edited, their units and contacts, opened and closed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.organisation import audit
from medvirk.organisation.models import Municipality, ServiceArea, ServiceType, Unit, User
from medvirk.organisation.services import audit_record

from .. import keyring
from ..models import Questionnaire, Round, RoundUnit

ROUND_FIELDS_IN_DRAFT = (
    "name",
    "questionnaire",
    "relatives_questionnaire",
    "opens_at",
    "closes_at",
)
ROUND_FIELDS_WHEN_OPEN = ("name", "closes_at")


@transaction.atomic
def round_create(
    *,
    actor: User | None,
    municipality: Municipality,
    service_area: ServiceArea,
    name: str,
    questionnaire: Questionnaire,
    opens_at: datetime,
    closes_at: datetime,
    units: Iterable[Unit],
    relatives_questionnaire: Questionnaire | None = None,
    service_types: Iterable[ServiceType] = (),
    contact: Mapping[str, str] | None = None,
) -> Round:
    """A round in draft, covering ``units``; ``contact`` (name, phone, hours) goes to each."""
    round_ = Round(
        municipality=municipality,
        service_area=service_area,
        name=name,
        questionnaire=questionnaire,
        relatives_questionnaire=relatives_questionnaire,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=actor,
    )
    round_.full_clean()
    round_.save()
    # The key file is written before the transaction commits: a rollback leaves a stray
    # file for a number no round will have again, never a round without its key.
    _key_bytes, round_.key_fingerprint = keyring.create(round_.pk)
    round_.save(update_fields=["key_fingerprint"])
    units = list(units)
    _check_units(round_, units)
    contact = dict(contact or {})
    RoundUnit.objects.bulk_create(
        [
            RoundUnit(
                round=round_,
                unit=unit,
                contact_name=contact.get("name", ""),
                contact_phone=contact.get("phone", ""),
                contact_hours=contact.get("hours", ""),
            )
            for unit in units
        ]
    )
    round_.service_types.set(list(service_types))
    audit_record(
        actor=actor,
        municipality=municipality,
        action="round.create",
        target=round_,
        changes={
            "name": [None, name],
            "questionnaire": [None, str(questionnaire)],
            "units": [None, len(units)],
        },
    )
    return round_


def _check_units(round_: Round, units: Sequence[Unit]) -> None:
    if not units:
        raise ValidationError({"units": _("Choose at least one unit.")})
    foreign = [u for u in units if u.service_area_id != round_.service_area_id]
    if foreign:
        raise ValidationError(
            {"units": _("Choose units of the round's own service area.")}, code="foreign_unit"
        )


def _lock(round_: Round) -> Round:
    return Round.objects.select_for_update().get(pk=round_.pk)


@transaction.atomic
def round_update(*, actor: User | None, round_: Round, data: Mapping[str, Any]) -> Round:
    """Change a round: anything in draft; only its name and closing time while open."""
    stored = _lock(round_)
    if stored.state == Round.State.CLOSED:
        raise ValidationError(_("A closed round cannot change."))
    allowed = ROUND_FIELDS_IN_DRAFT if stored.state == Round.State.DRAFT else ROUND_FIELDS_WHEN_OPEN
    refused = set(data) - set(allowed)
    if refused:
        if set(refused) <= set(ROUND_FIELDS_IN_DRAFT):
            raise ValidationError(
                _("While the round is open, only its name and closing time can change.")
            )
        raise ValueError(f"cannot change {sorted(refused)} with round_update")
    before = audit.snapshot(stored, data)
    for name, value in data.items():
        setattr(round_, name, value)
    if (
        stored.state == Round.State.OPEN
        and "closes_at" in data
        and round_.closes_at <= timezone.now()
    ):
        raise ValidationError(
            {"closes_at": _("The closing time must be in the future. Close the round instead.")}
        )
    round_.full_clean()
    round_.save()
    changes = audit.changes(before, audit.snapshot(round_, data))
    if changes:
        audit_record(
            actor=actor,
            municipality=round_.municipality,
            action="round.update",
            target=round_,
            changes=changes,
        )
    return round_


@transaction.atomic
def round_set_units(
    *,
    actor: User | None,
    round_: Round,
    units: Iterable[Unit],
    service_types: Iterable[ServiceType] | None = None,
) -> Round:
    """Which units (and services) a draft round covers. Contacts of kept units stay."""
    stored = _lock(round_)
    if stored.state != Round.State.DRAFT:
        raise ValidationError(_("The units of a round can change only while it is a draft."))
    units = list(units)
    _check_units(round_, units)
    wanted = {u.pk for u in units}
    current = set(round_.round_units.values_list("unit_id", flat=True))
    removed = current - wanted
    if removed and round_.recipients.filter(unit_id__in=removed).exists():
        raise ValidationError(
            {"units": _("Some units you removed have recipients. Remove those recipients first.")}
        )
    round_.round_units.filter(unit_id__in=removed).delete()
    RoundUnit.objects.bulk_create(
        [RoundUnit(round=round_, unit=u) for u in units if u.pk not in current]
    )
    if service_types is not None:
        round_.service_types.set(list(service_types))
    audit_record(
        actor=actor,
        municipality=round_.municipality,
        action="round.set_units",
        target=round_,
        changes={"units": [len(current), len(wanted)]},
    )
    return round_


@transaction.atomic
def round_unit_set_contact(
    *, actor: User | None, round_unit: RoundUnit, name: str, phone: str, hours: str
) -> RoundUnit:
    round_ = _lock(round_unit.round)
    if round_.state == Round.State.CLOSED:
        raise ValidationError(_("A closed round cannot change."))
    before = (round_unit.contact_name, round_unit.contact_phone, round_unit.contact_hours)
    round_unit.contact_name, round_unit.contact_phone, round_unit.contact_hours = (
        name.strip(),
        phone.strip(),
        hours.strip(),
    )
    round_unit.full_clean()
    round_unit.save()
    after = (round_unit.contact_name, round_unit.contact_phone, round_unit.contact_hours)
    if before != after:
        audit_record(
            actor=actor,
            municipality=round_.municipality,
            action="round.set_contact",
            target=round_unit,
            changes={"contact": [" / ".join(before), " / ".join(after)]},
        )
    return round_unit


def round_missing(round_: Round) -> list[str]:
    """What a round lacks before it can open, in words for the quality adviser."""
    missing = []
    round_units = list(round_.round_units.select_related("unit"))
    if not round_units:
        missing.append(_("The round covers no units."))
    without_contact = [ru.unit.name for ru in round_units if not ru.has_contact]
    if without_contact:
        missing.append(
            _("These units have no contact person with phone and hours: %(units)s.")
            % {"units": ", ".join(without_contact)}
        )
    if not round_.recipients.exists() and round_.purged_at is None:
        missing.append(_("The round has no recipients. Import the recipient list."))
    return missing


@transaction.atomic
def round_open(*, actor: User | None, round_: Round) -> Round:
    stored = _lock(round_)
    if stored.state != Round.State.DRAFT:
        raise ValidationError(_("Only a draft round can be opened."))
    missing = round_missing(stored)
    if missing:
        raise ValidationError(missing)
    if stored.closes_at <= timezone.now():
        raise ValidationError(_("The closing time has passed. Set a later closing time first."))
    return _enter_state(actor, round_, stored, Round.State.OPEN, "opened_at", "round.open")


@transaction.atomic
def round_close(*, actor: User | None, round_: Round) -> Round:
    """Close a round now, even before its closing time: no code works any longer."""
    stored = _lock(round_)
    if stored.state != Round.State.OPEN:
        raise ValidationError(_("Only an open round can be closed."))
    return _enter_state(actor, round_, stored, Round.State.CLOSED, "closed_at", "round.close")


def _enter_state(
    actor: User | None, round_: Round, stored: Round, state: str, stamp: str, action: str
) -> Round:
    """Move a locked round to ``state`` and note when in ``stamp``; audit; update ``round_``."""
    before = stored.state
    stored.state = state
    setattr(stored, stamp, timezone.now())
    stored.save(update_fields=["state", stamp])
    audit_record(
        actor=actor,
        municipality=stored.municipality,
        action=action,
        target=stored,
        changes={"state": [before, state]},
    )
    round_.state = stored.state
    setattr(round_, stamp, getattr(stored, stamp))
    return stored
