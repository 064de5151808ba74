"""Purging a closed round: its recipients, codes and drafts, and then its key."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.core.hooks import Hook
from medvirk.organisation.models import User
from medvirk.organisation.services import audit_record

from .. import keyring
from ..models import AccessCode, Audience, Draft, InvitedCount, Round
from .rounds import _lock


@dataclass(frozen=True)
class PurgeReport:
    recipients: int
    drafts: int
    groups: int


# What must happen while a round's names still exist, run by the purge in its transaction:
# the results module looks for recipients' names in the comments. A hook rather than an
# import, since results builds on surveys and not the other way round.
before_purge: Hook[[Round]] = Hook("before a round's recipients are purged")


@transaction.atomic
def recipients_purge(*, actor: User | None, round_: Round) -> PurgeReport:
    """Delete names, addresses, codes and unsent drafts of a closed round, and its key.

    What stays is how many were invited per unit, service and audience, for response rates.
    Runs ``before_purge`` first, while the names still exist.
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
    before_purge.run(stored)
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
