"""Round keys and access codes apart from recipients (step 2 of 3: existing rounds move).

Every round whose recipients are not purged gets a key file in MEDVIRK_KEY_DIR. Its
recipients' codes were printed already, so they stay what they were: 8 characters derived
from each seed with the installation's secret (MEDVIRK_CODE_SECRET, or SECRET_KEY), and the
round is marked as using that older scheme until it is purged. Each code gets an access
code row (in random order, with its used flag), each draft moves to its access code and is
sealed, and each seed is sealed with the round's key. Purged rounds need nothing.

Run it with the same secrets and MEDVIRK_KEY_DIR as the web processes will have.
"""

import hashlib
import hmac
import json
import random
import uuid

from django.conf import settings
from django.db import migrations

from medvirk.surveys import codes, keyring, roundkey

DRAFT_FIELDS = ("language", "on_behalf", "scores", "importance", "texts", "step")


def legacy_secret():
    base = (settings.MEDVIRK_CODE_SECRET or settings.SECRET_KEY).encode()
    return hmac.new(base, b"medvirk.surveys.code", hashlib.sha256).digest()


def forwards(apps, schema_editor):
    Round = apps.get_model("surveys", "Round")
    Recipient = apps.get_model("surveys", "Recipient")
    AccessCode = apps.get_model("surveys", "AccessCode")
    Draft = apps.get_model("surveys", "Draft")
    Round.objects.update(code_scheme="legacy-8")
    secret = legacy_secret()
    for round_ in Round.objects.filter(purged_at=None):
        key, round_.key_fingerprint = keyring.create(round_.pk)
        round_.save(update_fields=["key_fingerprint"])
        keys = roundkey.RoundKeys.from_key(key)
        drafts = {d.recipient_id: d for d in Draft.objects.filter(recipient__round=round_)}
        access_codes, recipients, moved = [], [], []
        for recipient in Recipient.objects.filter(round=round_).iterator():
            seed = bytes.fromhex(recipient.code_seed)
            pk = uuid.uuid4()
            access_codes.append(
                AccessCode(
                    id=pk,
                    round=round_,
                    lookup=keys.lookup_of(codes.derive_legacy(seed, secret=secret)),
                    unit_id=recipient.unit_id,
                    service_type_id=recipient.service_type_id,
                    audience="relatives" if recipient.is_relative else "users",
                    sealed_language=keys.seal_text(recipient.language, context=f"language:{pk}"),
                    used=recipient.used,
                )
            )
            recipient.code_seed = keys.seal_bytes(seed, context=f"seed:{round_.pk}")
            recipients.append(recipient)
            draft = drafts.get(recipient.pk)
            if draft is not None:
                payload = json.dumps(
                    {name: getattr(draft, name) for name in DRAFT_FIELDS}, ensure_ascii=False
                )
                draft.access_code_id = pk
                draft.sealed = keys.seal_text(payload, context=f"draft:{pk}")
                moved.append(draft)
        random.SystemRandom().shuffle(access_codes)
        AccessCode.objects.bulk_create(access_codes, batch_size=1000)
        Recipient.objects.bulk_update(recipients, ["code_seed"], batch_size=1000)
        Draft.objects.bulk_update(moved, ["access_code", "sealed"], batch_size=1000)
    Draft.objects.filter(access_code=None).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('surveys', '0002_access_codes'),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False),
    ]
