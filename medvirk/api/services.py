"""Writes of the API: keys made and revoked, and recipient imports queued by a key."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.core.models import BackgroundTask
from medvirk.organisation import audit
from medvirk.organisation.models import Municipality, User
from medvirk.organisation.services import audit_record
from medvirk.surveys import services as surveys
from medvirk.surveys.models import Round

from . import keys
from .models import ApiKey, Scope

# The same limit as the staff page's upload (surveys.forms.ImportForm).
MAX_IMPORT_BYTES = 20 * 1024 * 1024
# At most this often is a key's last use written: not a write on every request.
LAST_USED_EVERY = 60  # seconds


@transaction.atomic
def key_create(
    *, actor: User, municipality: Municipality, name: str, scopes: Iterable[str]
) -> tuple[ApiKey, str]:
    """A new key and its plain text, which is never stored and cannot be shown again."""
    chosen = sorted(set(scopes))
    if not chosen:
        raise ValidationError({"scopes": _("Choose at least one thing the key may do.")})
    unknown = set(chosen) - set(Scope.values)
    if unknown:
        raise ValidationError({"scopes": _("Choose among the listed scopes.")})
    plain, prefix = keys.new_key()
    key = ApiKey(
        municipality=municipality,
        name=name,
        prefix=prefix,
        secret_hash=keys.hashed(plain),
        scopes=chosen,
        created_by=actor,
    )
    key.full_clean()
    key.save()
    audit_record(
        actor=actor,
        municipality=municipality,
        action="api.key_create",
        target=key,
        changes=audit.created(audit.snapshot(key, ["name", "prefix", "scopes"])),
    )
    return key, plain


@transaction.atomic
def key_revoke(*, actor: User, key: ApiKey) -> ApiKey:
    """Refuse the key from now on. Kept, so the audit log and the list still name it."""
    stored = ApiKey.objects.select_for_update().get(pk=key.pk)
    if stored.revoked_at is not None:
        raise ValidationError(_("This key is already revoked."))
    before = audit.snapshot(stored, ["revoked_at"])
    stored.revoked_at = timezone.now()
    stored.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        municipality=stored.municipality,
        action="api.key_revoke",
        target=stored,
        changes=audit.changes(before, audit.snapshot(stored, ["revoked_at"])),
    )
    return stored


def key_touch(key: ApiKey) -> None:
    """Note that the key was used, at most once a minute."""
    now = timezone.now()
    last = key.last_used_at
    if last is None or (now - last).total_seconds() >= LAST_USED_EVERY:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now


@transaction.atomic
def recipients_import_queue(
    *, key: ApiKey, round_: Round, data: bytes, skip_invalid: bool
) -> BackgroundTask:
    """Queue the same background import as the staff page's upload.

    The import itself runs as the system (no person started it) and records
    ``round.import_recipients`` when it writes; this entry says which key started it.
    """
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError(_("The file is larger than 20 MB. Split it into smaller files."))
    if not data:
        raise ValidationError(_("The request has no file."))
    task = surveys.recipients_import_queue(
        actor=None,
        round_=round_,
        data=data,
        skip_invalid=skip_invalid,
        params={"api_key": key.pk},
    )
    audit_record(
        actor=None,
        municipality=key.municipality,
        action="api.recipients_import",
        target=key,
        changes={"round": [None, round_.name], "task": [None, str(task.pk)]},
    )
    return task
