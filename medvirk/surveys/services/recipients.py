"""Recipients: made with their codes, a lost letter's code replaced, a recipient list
imported."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from medvirk.core import tasks
from medvirk.core.models import BackgroundTask
from medvirk.organisation.models import User
from medvirk.organisation.services import audit_record

from .. import recipient_file
from ..models import AccessCode, Draft, Recipient, Round
from .access_codes import _access_code_for, _new_seeds, round_codes
from .drafts import _open_payload, _seal_payload
from .rounds import _lock


def recipients_create(*, round_: Round, recipients: Sequence[Recipient]) -> None:
    """Save new recipients of a round, each with a new code and its access code.

    The access codes are written in random order and refer to nobody: nothing in the
    database says which is whose without the round's key. Callers hold the round's lock.
    """
    round_codes_ = round_codes(round_)
    access_codes = []
    for recipient, (seed, lookup) in zip(
        recipients, _new_seeds(round_codes_, len(recipients)), strict=True
    ):
        recipient.round = round_
        recipient.code_seed = round_codes_.seal_seed(seed)
        access_codes.append(
            _access_code_for(round_codes_, recipient, lookup, language=recipient.language)
        )
    Recipient.objects.bulk_create(recipients, batch_size=1000)
    # Shuffled, so that the rows' order on disk (rowid, ctid) does not follow the list's.
    secrets.SystemRandom().shuffle(access_codes)
    AccessCode.objects.bulk_create(access_codes, batch_size=1000)


class CodeUsed(Exception):
    """The recipient has answered already: their code cannot be replaced."""


def recipient_replace_code(*, recipient: Recipient) -> str:
    """A new code for a recipient whose letter was lost; the old one stops working.

    Returns the new plain code. Any answers saved with the old code move to the new one.
    Every recipient of the same unit, service and audience gets their seed sealed anew at
    the same time (the same seed, new bytes): a copy of the database before and after then
    shows a group changed, as a response names its group anyway, not the one person.
    Callers run it in a transaction and audit it.
    """
    locked = (
        Recipient.objects.select_for_update(of=("self",))
        .select_related("round")
        .get(pk=recipient.pk)
    )
    round_codes_ = round_codes(locked.round)
    old = (
        AccessCode.objects.select_for_update()
        .filter(round_id=locked.round_id, lookup=round_codes_.lookup_of_recipient(locked))
        .first()
    )
    if old is not None and old.used:
        raise CodeUsed
    ((seed, lookup),) = _new_seeds(round_codes_, 1)
    new = _access_code_for(round_codes_, locked, lookup, language=locked.language)
    new.save(force_insert=True)
    if old is not None:
        Draft.objects.filter(access_code=old).update(access_code=new)
        moved = Draft.objects.filter(access_code=new).first()
        if moved is not None:
            content = _open_payload(round_codes_.keys, moved.sealed, old.pk)
            moved.sealed = _seal_payload(round_codes_.keys, content, new.pk)
            moved.save(update_fields=["sealed"])
        old.delete()
    group = list(
        Recipient.objects.select_for_update()
        .filter(
            round_id=locked.round_id,
            unit_id=locked.unit_id,
            service_type_id=locked.service_type_id,
            is_relative=locked.is_relative,
        )
        .exclude(pk=locked.pk)
    )
    for other in group:
        other.code_seed = round_codes_.seal_seed(round_codes_.open_seed(other.code_seed))
    locked.code_seed = round_codes_.seal_seed(seed)
    Recipient.objects.bulk_update([*group, locked], ["code_seed"], batch_size=1000)
    recipient.code_seed = locked.code_seed
    return round_codes_.derive(seed)


def unit_choices(round_: Round) -> list[recipient_file.UnitChoice]:
    """The units a recipient list may name, and the services each may be answered for."""
    covered_types = set(round_.service_types.values_list("pk", flat=True))
    choices = []
    for round_unit in round_.round_units.select_related("unit").prefetch_related(
        "unit__services__service_type"
    ):
        unit = round_unit.unit
        spellings: dict[str, int] = {}
        for service in unit.services.all():
            service_type = service.service_type
            if covered_types and service_type.pk not in covered_types:
                continue
            names = {service_type.code, service_type.name}
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    names.add(service_type.label)
            for name in names:
                spellings[recipient_file.normalise_label(name)] = service_type.pk
        choices.append(
            recipient_file.UnitChoice(
                id=unit.pk, code=unit.code, name=unit.name, service_types=spellings
            )
        )
    return choices


@dataclass
class ImportReport:
    parsed: recipient_file.ParseResult
    imported: int = 0
    applied: bool = False
    skipped_rows: list[int] = field(default_factory=list)


def recipients_import_queue(
    *,
    actor: User | None,
    round_: Round,
    data: bytes,
    skip_invalid: bool,
    params: Mapping[str, Any] | None = None,
) -> BackgroundTask:
    """Queue the import of a recipient file for the worker (``recipients_import`` there):
    the staff page's upload and the API's request body alike. ``params`` adds to the task's
    own (the API notes which key started it)."""
    # A purged round is closed too: the purge comes only after the end, and closes the round.
    if round_.state == Round.State.CLOSED:
        raise ValidationError(_("Recipients cannot be added to a closed round."))
    return tasks.enqueue(
        kind="surveys.import_recipients",
        municipality=round_.municipality,
        actor=actor,
        params={"round": round_.pk, "skip_invalid": skip_invalid, **(params or {})},
        payload=data,
    )


def recipients_import(
    *,
    actor: User | None,
    round_: Round,
    data: bytes,
    skip_invalid: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Read a recipient file and add its people to the round, each with a new code.

    Checking the file takes the time and reports progress; writing is one transaction at
    the end. With any invalid row nothing is written, unless ``skip_invalid`` is set: then
    the valid rows are imported and the invalid ones listed.
    """
    if round_.state == Round.State.CLOSED or round_.purged_at is not None:
        raise ValidationError(_("Recipients cannot be added to a closed round."))
    known = {
        recipient_file.identity(name, street, postal, unit)
        for name, street, postal, unit in round_.recipients.values_list(
            "name", "street_address", "postal_code", "unit_id"
        )
    }
    parsed = recipient_file.read_recipients(
        data,
        units=unit_choices(round_),
        allow_relatives=round_.relatives_questionnaire_id is not None,
        known=known,
        progress=progress,
    )
    report = ImportReport(parsed=parsed, skipped_rows=sorted(parsed.invalid_rows))
    file_level_errors = [p for p in parsed.errors if p.row is None]
    if file_level_errors or (parsed.errors and not skip_invalid) or not parsed.rows:
        return report
    report.imported = _write_recipients(actor=actor, round_=round_, rows=parsed.rows)
    report.applied = True
    return report


@transaction.atomic
def _write_recipients(
    *, actor: User | None, round_: Round, rows: Sequence[recipient_file.RecipientRow]
) -> int:
    stored = _lock(round_)
    if stored.state == Round.State.CLOSED:
        raise ValidationError(_("Recipients cannot be added to a closed round."))
    recipients = [
        Recipient(
            round=stored,
            unit_id=row.unit_id,
            service_type_id=row.service_type_id,
            name=row.name,
            street_address=row.street_address,
            postal_code=row.postal_code,
            place=row.place,
            language=row.language,
            is_relative=row.is_relative,
        )
        for row in rows
    ]
    recipients_create(round_=stored, recipients=recipients)
    audit_record(
        actor=actor,
        municipality=stored.municipality,
        action="round.import_recipients",
        target=stored,
        changes={"recipients": [None, len(recipients)]},
    )
    return len(recipients)
