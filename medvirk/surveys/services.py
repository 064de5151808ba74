"""Every write in the surveys module: atomic, validated, audited where staff act.

Views, management commands, background tasks and the demo all come through here. Nothing a
respondent does is written to the audit log: a log line "code used at 14:02" next to a
response would be the path from a person to their answers that Medvirk promises not to keep.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from medvirk.core import clientip
from medvirk.organisation.models import Municipality, ServiceArea, ServiceType, Unit, User
from medvirk.organisation.services import audit_record

from . import answers, codes, keyring, recipient_file, roundkey, throttle
from . import questionnaire as definitions
from .models import (
    AccessCode,
    Audience,
    CodeFailureWindow,
    Draft,
    InvitedCount,
    Mode,
    Questionnaire,
    Recipient,
    Response,
    ResponseText,
    Round,
    RoundUnit,
)

logger = logging.getLogger(__name__)

# --- secrets and codes ----------------------------------------------------------------


def _key(purpose: str) -> bytes:
    """A key for one purpose, derived from MEDVIRK_CODE_SECRET (or SECRET_KEY)."""
    base = (settings.MEDVIRK_CODE_SECRET or settings.SECRET_KEY).encode()
    return hmac.new(base, f"medvirk.surveys.{purpose}".encode(), hashlib.sha256).digest()


@dataclass(frozen=True)
class RoundCodes:
    """One round's codes: derived from each recipient's seed, found by a keyed hash.

    Everything here needs the round's key, read from its file (``keyring``). A legacy
    round's codes are 8 characters derived with the installation's secret, as they were
    printed before round keys came in; they are looked up with the round's key all the same.
    """

    round_pk: int
    scheme: str
    keys: roundkey.RoundKeys

    def seal_seed(self, seed: bytes) -> str:
        return self.keys.seal_bytes(seed, context=f"seed:{self.round_pk}")

    def open_seed(self, sealed: str) -> bytes:
        return self.keys.open_bytes(sealed, context=f"seed:{self.round_pk}")

    def derive(self, seed: bytes) -> str:
        if self.scheme == Round.CodeScheme.LEGACY:
            return codes.derive_legacy(seed, secret=_key("code"))
        return self.keys.derive(seed)

    def code_of(self, recipient: Recipient) -> str:
        """The recipient's plain code, for printing in a letter (and nowhere else)."""
        return self.derive(self.open_seed(recipient.code_seed))

    def lookup_of(self, code: str) -> str:
        return self.keys.lookup_of(code)

    def lookup_of_recipient(self, recipient: Recipient) -> str:
        return self.lookup_of(self.code_of(recipient))


def round_codes(round_: Round) -> RoundCodes:
    """The round's codes; ``keyring.KeyProblem`` if its key file is missing or wrong."""
    key = keyring.load(round_.pk, round_.key_fingerprint)
    return RoundCodes(round_.pk, round_.code_scheme, roundkey.RoundKeys.from_key(key))


def code_of(recipient: Recipient) -> str:
    """The recipient's plain code, for printing in a letter (and nowhere else)."""
    return round_codes(recipient.round).code_of(recipient)


def _scheme_of(code: str) -> str:
    return (
        Round.CodeScheme.LEGACY if len(code) == codes.LEGACY_LENGTH else Round.CodeScheme.ROUND_KEY
    )


def _new_seeds(round_codes_: RoundCodes, count: int) -> list[tuple[bytes, str]]:
    """``count`` (seed, lookup) pairs whose codes no access code has, nor each other.

    Collisions are rare (50,000 codes use one 700-billionth of the 55-bit space), so codes
    are made in bulk and checked against the database in batches, not one by one.
    """
    pairs: dict[str, bytes] = {}  # lookup -> seed
    while len(pairs) < count:
        batch = {}
        for _i in range(count - len(pairs)):
            seed = codes.new_seed()
            batch[round_codes_.lookup_of(round_codes_.derive(seed))] = seed
        fresh = set(batch) - set(pairs)
        for chunk in _chunks(sorted(fresh), 5000):
            fresh -= set(
                AccessCode.objects.filter(lookup__in=chunk).values_list("lookup", flat=True)
            )
        pairs.update({lookup: batch[lookup] for lookup in fresh})
    return [(seed, lookup) for lookup, seed in pairs.items()]


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _access_code_for(
    round_codes_: RoundCodes, recipient: Recipient, lookup: str, *, language: str
) -> AccessCode:
    pk = uuid.uuid4()
    return AccessCode(
        id=pk,
        round_id=round_codes_.round_pk,
        lookup=lookup,
        unit_id=recipient.unit_id,
        service_type_id=recipient.service_type_id,
        audience=recipient.audience,
        sealed_language=round_codes_.keys.seal_text(language, context=f"language:{pk}"),
    )


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


def code_used(recipient: Recipient, *, round_codes_: RoundCodes | None = None) -> bool:
    """Whether the recipient's code has been used (by the web or a paper form)."""
    round_codes_ = round_codes_ or round_codes(recipient.round)
    lookup = round_codes_.lookup_of_recipient(recipient)
    return AccessCode.objects.filter(round_id=recipient.round_id, lookup=lookup, used=True).exists()


def answered_test(round_: Round) -> Callable[[Recipient], bool]:
    """A test for "has this recipient answered?", for many recipients of one round: one
    query for the used codes, then a derivation per recipient (for reminder letters)."""
    round_codes_ = round_codes(round_)
    used = set(AccessCode.objects.filter(round=round_, used=True).values_list("lookup", flat=True))
    if not used:
        return lambda _recipient: False
    return lambda recipient: round_codes_.lookup_of_recipient(recipient) in used


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


# --- questionnaires --------------------------------------------------------------------


@dataclass(frozen=True)
class LoadedQuestionnaire:
    questionnaire: Questionnaire
    created: bool


@transaction.atomic
def questionnaire_load_builtin(*, files: Sequence[Any] | None = None) -> list[LoadedQuestionnaire]:
    """Load the built-in questionnaire files; idempotent.

    A file whose key and version are loaded already with other content is refused: a
    round may have run with that version, so the change needs a new version number.
    """
    loaded = []
    for path in files if files is not None else definitions.built_in_files():
        spec = definitions.load_file(path)
        existing = Questionnaire.objects.filter(
            municipality=None, key=spec.key, version=spec.version
        ).first()
        if existing is not None:
            if existing.checksum != spec.checksum():
                raise definitions.QuestionnaireError(
                    [
                        f"{path.name}: version {spec.version} of {spec.key} is loaded already "
                        "with other content; raise `version` in the file"
                    ]
                )
            loaded.append(LoadedQuestionnaire(existing, created=False))
            continue
        created = Questionnaire.objects.create(
            municipality=None,
            key=spec.key,
            version=spec.version,
            audience=spec.audience,
            definition=dict(spec.raw),
            checksum=spec.checksum(),
        )
        loaded.append(LoadedQuestionnaire(created, created=True))
    return loaded


@transaction.atomic
def questionnaire_copy(
    *, actor: User | None, municipality: Municipality, source: Questionnaire
) -> Questionnaire:
    """The municipality's own copy of a questionnaire, version 1, ready for editing texts."""
    if source.municipality_id not in (None, municipality.pk):
        raise ValidationError(_("Choose a questionnaire of this municipality."))
    base = f"{source.key}-kopi"[:74]
    key, number = base, 1
    while Questionnaire.objects.filter(municipality=municipality, key=key).exists():
        number += 1
        key = f"{base}-{number}"
    definition = dict(source.definition, key=key, version=1)
    copy = Questionnaire.objects.create(
        municipality=municipality,
        key=key,
        version=1,
        audience=source.audience,
        definition=definition,
        checksum=definitions.checksum(definition),
        based_on=source,
    )
    audit_record(
        actor=actor,
        municipality=municipality,
        action="questionnaire.copy",
        target=copy,
        changes={"based_on": [None, str(source)]},
    )
    return copy


@transaction.atomic
def questionnaire_update_texts(
    *,
    actor: User | None,
    questionnaire: Questionnaire,
    language: str,
    texts: Mapping[str, str],
) -> Questionnaire:
    """Change wording in one language. Returns the version that holds the new wording.

    Built-in questionnaires are copied first, never changed. A questionnaire an open round
    uses cannot change. One that a round has opened with before keeps its wording for that
    round: the change becomes a new version, and draft rounds move to it.
    """
    if questionnaire.is_built_in:
        raise ValidationError(
            _("A built-in questionnaire cannot be changed. Make a copy and edit that.")
        )
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    rounds = Round.objects.filter(questionnaire=questionnaire) | Round.objects.filter(
        relatives_questionnaire=questionnaire
    )
    open_round = rounds.filter(state=Round.State.OPEN).first()
    if open_round is not None:
        raise ValidationError(
            _("The round %(round)s is open with this questionnaire, so it cannot change now.")
            % {"round": open_round.name}
        )
    if language not in questionnaire.spec.languages:
        raise ValidationError(_("This questionnaire has no texts in that language."))
    cleaned = {path: value.strip() for path, value in texts.items()}
    empty = [path for path, value in cleaned.items() if not value]
    if empty:
        raise ValidationError(_("Some texts are empty. Write a text in every field."))
    known = {path for path, _text in questionnaire.spec.text_fields()}
    if set(cleaned) - known:
        raise ValueError(f"unknown text paths {sorted(set(cleaned) - known)}")
    current = dict(questionnaire.spec.text_fields())
    changed = {p: v for p, v in cleaned.items() if current[p].values.get(language) != v}
    if not changed:
        return questionnaire
    definition = definitions.with_texts(questionnaire.definition, language, changed)
    used = rounds.exclude(state=Round.State.DRAFT).exists()
    if used:
        version = (
            Questionnaire.objects.filter(
                municipality=questionnaire.municipality, key=questionnaire.key
            ).aggregate(Max("version"))["version__max"]
            + 1
        )
        definition["version"] = version
        definitions.parse(definition)
        target = Questionnaire.objects.create(
            municipality=questionnaire.municipality,
            key=questionnaire.key,
            version=version,
            audience=questionnaire.audience,
            definition=definition,
            checksum=definitions.checksum(definition),
            based_on=questionnaire,
        )
        Round.objects.filter(state=Round.State.DRAFT, questionnaire=questionnaire).update(
            questionnaire=target
        )
        Round.objects.filter(state=Round.State.DRAFT, relatives_questionnaire=questionnaire).update(
            relatives_questionnaire=target
        )
    else:
        definitions.parse(definition)
        questionnaire.definition = definition
        questionnaire.checksum = definitions.checksum(definition)
        questionnaire.save(update_fields=["definition", "checksum"])
        questionnaire.__dict__.pop("spec", None)
        target = questionnaire
    audit_record(
        actor=actor,
        municipality=questionnaire.municipality,
        action="questionnaire.update_texts",
        target=target,
        changes={
            path: [current[path].values.get(language), value] for path, value in changed.items()
        },
    )
    return target


# --- rounds ----------------------------------------------------------------------------

ROUND_FIELDS_IN_DRAFT = (
    "name",
    "questionnaire",
    "relatives_questionnaire",
    "opens_at",
    "closes_at",
)
ROUND_FIELDS_WHEN_OPEN = ("name", "closes_at")


def _round_snapshot(round_: Round, fields: Iterable[str]) -> dict[str, str | None]:
    shown: dict[str, str | None] = {}
    for name in fields:
        value = getattr(round_, name)
        if isinstance(value, datetime):
            shown[name] = timezone.localtime(value).strftime("%d.%m.%Y %H:%M")
        else:
            shown[name] = None if value is None else str(value)
    return shown


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
    before = _round_snapshot(stored, data)
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
    after = _round_snapshot(round_, data)
    changes = {k: [before[k], after[k]] for k in data if before[k] != after[k]}
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


@dataclass(frozen=True)
class PurgeReport:
    recipients: int
    drafts: int
    groups: int


# What must happen while a round's names still exist, run by the purge in its transaction:
# the results module looks for recipients' names in the comments. A registry rather than
# an import, since results builds on surveys and not the other way round.
_BEFORE_PURGE: list[Callable[[Round], object]] = []


def register_before_purge(job: Callable[[Round], object]) -> None:
    if job not in _BEFORE_PURGE:
        _BEFORE_PURGE.append(job)


@transaction.atomic
def recipients_purge(*, actor: User | None, round_: Round) -> PurgeReport:
    """Delete names, addresses, codes and unsent drafts of a closed round, and its key.

    What stays is how many were invited per unit, service and audience, for response rates.
    A round whose closing time has passed is closed first. Once the transaction has
    committed, the round's key file is destroyed: from then on no copy of the database,
    however old, links a recipient of the round to anything (docs/threat-model.md).
    """
    stored = _lock(round_)
    if stored.purged_at is not None:
        raise ValidationError(_("The recipients of this round are purged already."))
    if stored.phase != Round.Phase.ENDED:
        raise ValidationError(
            _("Recipients can be purged only after the round has closed. Close it first.")
        )
    if stored.state == Round.State.OPEN:
        stored.state = Round.State.CLOSED
        stored.closed_at = timezone.now()
    for job in _BEFORE_PURGE:
        job(stored)
    tallies = Counter(
        (unit_id, service_type_id, Audience.RELATIVES if relative else Audience.USERS)
        for unit_id, service_type_id, relative in stored.recipients.values_list(
            "unit_id", "service_type_id", "is_relative"
        )
    )
    InvitedCount.objects.bulk_create(
        [
            InvitedCount(
                round=stored, unit_id=unit, service_type_id=service, audience=audience, invited=n
            )
            for (unit, service, audience), n in tallies.items()
        ]
    )
    drafts, _detail = Draft.objects.filter(access_code__round=stored).delete()
    AccessCode.objects.filter(round=stored).delete()
    stored.recipients.all().delete()
    stored.purged_at = timezone.now()
    stored.key_fingerprint = ""
    stored.save(update_fields=["state", "closed_at", "purged_at", "key_fingerprint"])
    # Only once the rows are gone for good: a rolled-back purge must keep its key.
    transaction.on_commit(partial(keyring.destroy, stored.pk))
    report = PurgeReport(recipients=sum(tallies.values()), drafts=drafts, groups=len(tallies))
    audit_record(
        actor=actor,
        municipality=stored.municipality,
        action="round.purge_recipients",
        target=stored,
        changes={"recipients": [report.recipients, 0]},
    )
    round_.purged_at, round_.state = stored.purged_at, stored.state
    round_.key_fingerprint = ""
    return report


def round_key_destroy_leftover(*, round_pk: int) -> None:
    """Destroy a key file that no round needs: its round is purged (the purge's own destroy
    did not run, e.g. the process stopped just after the commit) or is gone."""
    stored = Round.objects.filter(pk=round_pk).first()
    if stored is not None and stored.purged_at is None and stored.key_fingerprint:
        raise ValueError(f"round {round_pk} still needs its key")
    keyring.destroy(round_pk)


# --- recipients ------------------------------------------------------------------------


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


# --- answering -------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of a typed code: an access code to answer with, or why not."""

    access_code: AccessCode | None = None
    blocked_until: datetime | None = None
    not_found: bool = False  # wrong, used, or of a purged round: one answer for all
    typo: bool = False  # its check character does not fit: mistyped, not counted as a guess
    round: Round | None = None  # set when the code is right but its round is not open


class DatabaseStore:
    """Throttle counts in ``CodeFailureWindow``; old windows are deleted as new ones start."""

    def failures_of(self, windows: Sequence[tuple[str, datetime]]) -> list[int]:
        wanted = Q()
        for key, start in windows:
            wanted |= Q(key=key, window_start=start)
        found = {
            (key, start): n
            for key, start, n in CodeFailureWindow.objects.filter(wanted).values_list(
                "key", "window_start", "failures"
            )
        }
        return [found.get(window, 0) for window in windows]

    def add_failure(self, key: str, window_start: datetime) -> None:
        rows = CodeFailureWindow.objects.filter(key=key, window_start=window_start)
        if rows.update(failures=F("failures") + 1):
            return
        try:
            with transaction.atomic():
                CodeFailureWindow.objects.create(key=key, window_start=window_start, failures=1)
        except IntegrityError:
            rows.update(failures=F("failures") + 1)
            return
        longest = max(
            settings.MEDVIRK_CODE_CLIENT_WINDOW,
            settings.MEDVIRK_CODE_MUNICIPALITY_WINDOW,
            settings.MEDVIRK_CODE_FAILURE_MEMORY,
        )
        ended_a_day_ago = window_start - timedelta(seconds=longest) - timedelta(days=1)
        CodeFailureWindow.objects.filter(window_start__lt=ended_a_day_ago).delete()

    def remove_failure(self, key: str, window_start: datetime) -> None:
        CodeFailureWindow.objects.filter(key=key, window_start=window_start, failures__gt=0).update(
            failures=F("failures") - 1
        )


def client_key(address: str) -> str:
    """A throttle key for a client's address (IPv4) or network (IPv6 /64); the address
    itself is never stored."""
    network = clientip.client_network(address)
    digest = hmac.new(_key("client"), network.encode(), hashlib.sha256).hexdigest()
    return f"client:{digest[:32]}"


def throttle_policy() -> throttle.Policy:
    return throttle.Policy(
        client=throttle.Limit(
            settings.MEDVIRK_CODE_CLIENT_FAILURES,
            timedelta(seconds=settings.MEDVIRK_CODE_CLIENT_WINDOW),
        ),
        budget=throttle.Limit(
            settings.MEDVIRK_CODE_MUNICIPALITY_FAILURES,
            timedelta(seconds=settings.MEDVIRK_CODE_MUNICIPALITY_WINDOW),
        ),
        memory=timedelta(seconds=settings.MEDVIRK_CODE_FAILURE_MEMORY),
    )


def throttle_keys(municipality: Municipality, client: str) -> throttle.Keys:
    return throttle.Keys(client=client, municipality=f"municipality:{municipality.pk}")


def access_code_find(*, municipality: Municipality, code: str) -> AccessCode | None:
    """The access code a (normalised) code is, among the municipality's rounds with keys.

    The code is hashed with each candidate round's key and all are looked for at once.
    """
    rounds = Round.objects.filter(
        municipality=municipality, purged_at=None, code_scheme=_scheme_of(code)
    ).exclude(key_fingerprint="")
    wanted: dict[int, str] = {}
    for candidate in rounds:
        try:
            wanted[candidate.pk] = round_codes(candidate).lookup_of(code)
        except keyring.KeyProblem as exc:
            logger.error("survey codes of round %s cannot be checked: %s", candidate.pk, exc)
    if not wanted:
        return None
    found = list(
        AccessCode.objects.select_related("round", "unit")
        .filter(lookup__in=wanted.values(), round_id__in=wanted)
        .order_by()
    )
    return next((a for a in found if wanted.get(a.round_id) == a.lookup), None)


def code_check(
    *,
    municipality: Municipality,
    typed: str,
    client: str,
    now: datetime | None = None,
    store: throttle.Store | None = None,
) -> CodeCheck:
    """Check a typed code under the throttle. Wrong and used codes get the same answer.

    What can be nobody's code — the wrong length, a character not in the alphabet, a check
    character that does not fit — is a typing error, told as such and not counted: nothing
    is looked up.
    """
    now = now or timezone.now()
    store = store or DatabaseStore()
    code = codes.normalise(typed)
    if code is None or not codes.check_ok(code):
        return CodeCheck(typo=True)
    policy, keys = throttle_policy(), throttle_keys(municipality, client)
    decision = throttle.admit(store, policy, keys, now)
    if not decision.admitted:
        return CodeCheck(blocked_until=decision.until)
    found = access_code_find(municipality=municipality, code=code)
    if found is None or found.used:
        if decision.budget_used_up:
            logger.warning(
                "code guessing budget used up for municipality %s until %s; only visitors "
                "without recent wrong codes are let through",
                municipality.slug,
                (policy.budget.window_start(now) + policy.budget.window).isoformat(),
            )
        return CodeCheck(not_found=True)
    throttle.forgive(store, policy, keys, now)  # a right code never counts
    if found.round.phase_at(now) != Round.Phase.ACCEPTING:
        return CodeCheck(round=found.round)
    return CodeCheck(access_code=found)


@dataclass
class OpenDraft:
    """A draft's answers, opened with the round's key; ``draft_save`` seals them again."""

    row: Draft
    keys: roundkey.RoundKeys
    language: str
    on_behalf: bool = False
    scores: str = ""
    importance: str = ""
    texts: dict[str, str] = field(default_factory=dict)
    step: int = 0  # the page to continue from


_PAYLOAD_FIELDS = ("language", "on_behalf", "scores", "importance", "texts", "step")


def _seal_payload(keys: roundkey.RoundKeys, values: Mapping[str, Any], access_code_pk: Any) -> str:
    payload = json.dumps({name: values[name] for name in _PAYLOAD_FIELDS}, ensure_ascii=False)
    return keys.seal_text(payload, context=f"draft:{access_code_pk}")


def _open_payload(keys: roundkey.RoundKeys, sealed: str, access_code_pk: Any) -> dict[str, Any]:
    loaded = json.loads(keys.open_text(sealed, context=f"draft:{access_code_pk}"))
    return {name: loaded[name] for name in _PAYLOAD_FIELDS}


def preferred_language(access_code: AccessCode, keys: roundkey.RoundKeys) -> str:
    return keys.open_text(access_code.sealed_language, context=f"language:{access_code.pk}")


def _first_payload(access_code: AccessCode, keys: roundkey.RoundKeys) -> dict[str, Any]:
    return {
        "language": preferred_language(access_code, keys),
        "on_behalf": False,
        "scores": "",
        "importance": "",
        "texts": {},
        "step": 0,
    }


def draft_for(access_code: AccessCode) -> OpenDraft:
    """The access code's draft, opened; made on first use with the preferred language."""
    keys = round_codes(access_code.round).keys
    try:
        row = access_code.draft  # read with the access code where the caller selected it
    except Draft.DoesNotExist:
        row, _created = Draft.objects.get_or_create(
            access_code=access_code,
            defaults={
                "sealed": _seal_payload(keys, _first_payload(access_code, keys), access_code.pk)
            },
        )
    return OpenDraft(row=row, keys=keys, **_open_payload(keys, row.sealed, access_code.pk))


def draft_open(access_code: AccessCode) -> OpenDraft | None:
    """The access code's draft, opened (None if it has none); writes nothing."""
    row = Draft.objects.filter(access_code=access_code).first()
    if row is None:
        return None
    keys = round_codes(access_code.round).keys
    return OpenDraft(row=row, keys=keys, **_open_payload(keys, row.sealed, access_code.pk))


def draft_save(
    *,
    draft: OpenDraft,
    spec: definitions.QuestionnaireSpec,
    language: str | None = None,
    on_behalf: bool | None = None,
    scores: Mapping[int, str] | None = None,
    importance: Mapping[int, str] | None = None,
    texts: Mapping[str, str] | None = None,
    step: int | None = None,
) -> OpenDraft:
    """Keep what a respondent gave on one page. Values are checked by the page's form."""
    if language is not None:
        draft.language = language
    if on_behalf is not None:
        draft.on_behalf = on_behalf
    if scores:
        draft.scores = answers.with_values(answers.fit(spec, draft.scores), scores)
    if importance:
        draft.importance = answers.with_values(answers.fit(spec, draft.importance), importance)
    if texts:
        merged = {**draft.texts, **texts}
        draft.texts = {k: v for k, v in merged.items() if v.strip()}
    if step is not None:
        draft.step = step
    draft.row.sealed = _seal_payload(
        draft.keys,
        {name: getattr(draft, name) for name in _PAYLOAD_FIELDS},
        draft.row.access_code_id,
    )
    draft.row.save(update_fields=["sealed"])
    return draft


class AlreadySubmitted(Exception):
    """The code was used between the respondent's last page and their submission."""


class RoundNotAccepting(Exception):
    def __init__(self, round_: Round) -> None:
        super().__init__(round_.name)
        self.round = round_


def response_submit(*, access_code: AccessCode, today: Any = None) -> Response:
    """Turn an access code's draft into an anonymous response, in one transaction.

    The access code's row is locked, so a double-clicked submit makes one response; a crash
    anywhere inside leaves the code unused and the draft as it was. No recipient row is
    read or written.
    """
    with transaction.atomic():
        locked = (
            AccessCode.objects.select_for_update(of=("self",))
            .select_related("round", "round__questionnaire", "round__relatives_questionnaire")
            .get(pk=access_code.pk)
        )
        if locked.used:
            raise AlreadySubmitted
        round_ = locked.round
        if round_.phase != Round.Phase.ACCEPTING:
            raise RoundNotAccepting(round_)
        keys = round_codes(round_).keys
        row = Draft.objects.filter(access_code=locked).first()
        content = (
            _open_payload(keys, row.sealed, locked.pk)
            if row is not None
            else _first_payload(locked, keys)
        )
        questionnaire = round_.questionnaire_for(is_relative=locked.is_relative)
        response = _response_create(
            round_=round_,
            questionnaire=questionnaire,
            unit_id=locked.unit_id,
            service_type_id=locked.service_type_id,
            audience=locked.audience,
            mode=Mode.WEB,
            on_behalf=content["on_behalf"],
            scores=answers.fit(questionnaire.spec, content["scores"]),
            importance=answers.fit(questionnaire.spec, content["importance"]),
            texts=content["texts"],
            today=today,
        )
        locked.used = True
        locked.save(update_fields=["used"])
        if row is not None:
            row.delete()
    access_code.used = True
    return response


def _response_create(
    *,
    round_: Round,
    questionnaire: Questionnaire,
    unit_id: int,
    service_type_id: int | None,
    audience: str,
    mode: str,
    on_behalf: bool,
    scores: str,
    importance: str,
    texts: Mapping[str, str],
    today: Any = None,
) -> Response:
    spec = questionnaire.spec
    if not answers.is_valid(spec, scores, importance):
        raise ValidationError(_("The answers do not fit the questionnaire."))
    limits = {f.key: f.max_length for f in spec.free_texts}
    for key, text in texts.items():
        if key not in limits or len(text) > limits[key]:
            raise ValidationError(_("A comment is too long or does not belong here."))
    response = Response.objects.create(
        round=round_,
        questionnaire=questionnaire,
        audience=audience,
        unit_id=unit_id,
        service_type_id=service_type_id,
        mode=mode,
        on_behalf=on_behalf,
        submitted_on=today or timezone.localdate(),
        scores=scores,
        importance=importance,
    )
    ResponseText.objects.bulk_create(
        [
            ResponseText(response=response, key=key, text=text)
            for key, text in texts.items()
            if text.strip()
        ]
    )
    return response


@transaction.atomic
def response_enter(
    *,
    actor: User | None,
    round_: Round,
    mode: str,
    unit: Unit | None,
    service_type: ServiceType | None,
    audience: str,
    on_behalf: bool,
    scores: str,
    importance: str,
    texts: Mapping[str, str],
    code: str = "",
) -> Response:
    """A paper form or an interview, typed in by a quality adviser.

    With the code from the form, the code is used up (so the person cannot answer twice)
    and the unit, service and audience come from its access code. The audit log records
    that a response was entered in the round, never which one or whose code.
    """
    if mode not in (Mode.PAPER, Mode.INTERVIEW):
        raise ValueError(f"staff enter paper and interview responses, not {mode!r}")
    stored = _lock(round_)
    if stored.state != Round.State.OPEN:
        raise ValidationError(_("Responses can be entered only while the round is open."))
    if code.strip():
        access_code = _paper_code(stored, code, audience)
        unit_id, service_type_id = access_code.unit_id, access_code.service_type_id
        access_code.used = True
        access_code.save(update_fields=["used"])
        Draft.objects.filter(access_code=access_code).delete()
    else:
        if unit is None or not stored.round_units.filter(unit=unit).exists():
            raise ValidationError({"unit": _("Choose a unit the round covers.")})
        unit_id = unit.pk
        service_type_id = service_type.pk if service_type else None
    if audience == Audience.RELATIVES and stored.relatives_questionnaire is None:
        raise ValidationError({"audience": _("This round has no relatives survey.")})
    questionnaire = stored.questionnaire_for(is_relative=audience == Audience.RELATIVES)
    response = _response_create(
        round_=stored,
        questionnaire=questionnaire,
        unit_id=unit_id,
        service_type_id=service_type_id,
        audience=audience,
        mode=mode,
        on_behalf=on_behalf,
        scores=scores,
        importance=importance,
        texts=texts,
    )
    audit_record(
        actor=actor,
        municipality=stored.municipality,
        action="round.enter_response",
        target=stored,
        changes={"mode": [None, mode]},
    )
    return response


def _paper_code(round_: Round, code: str, audience: str) -> AccessCode:
    """The unused access code of ``round_`` a paper form carries, locked; or why not."""
    normalised = codes.normalise(code)
    if normalised is not None and not codes.check_ok(normalised):
        raise ValidationError(
            {"code": _("The code has a typing error. Check it against the form.")}
        )
    found = (
        access_code_find(municipality=round_.municipality, code=normalised) if normalised else None
    )
    if found is None:
        raise ValidationError({"code": _("No recipient has this code. Check the code.")})
    if found.round_id != round_.pk:
        raise ValidationError({"code": _("This code belongs to another survey round.")})
    locked = AccessCode.objects.select_for_update().get(pk=found.pk)
    if locked.used:
        raise ValidationError({"code": _("This code has been used already.")})
    if locked.is_relative != (audience == Audience.RELATIVES):
        raise ValidationError(
            {
                "code": _("This code belongs to a relative. Enter the form as a relatives form.")
                if locked.is_relative
                else _("This code belongs to a user. Enter the form as a user form.")
            }
        )
    return locked
