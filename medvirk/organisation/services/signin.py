"""Sign-in: two-factor devices and backup codes, and opening a sign-in lock."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..models import (
    Municipality,
    User,
)
from ._common import audit_record

# --- sign-in: two factors and throttling --------------------------------------------------

BACKUP_CODE_COUNT = 10


@transaction.atomic
def two_factor_enrol(
    *, actor: User, municipality: Municipality | None, device: TOTPDevice
) -> list[str]:
    """Make ``device`` (an authenticator app that has just given a right code) the user's
    only one, with new backup codes; returns the codes, to be shown once.

    Earlier apps and codes stop working: setting up a new phone replaces the old one.
    """
    if device.user_id != actor.pk:
        raise ValueError("a device is enrolled by its own user")
    TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_backup_codes(actor)
    audit_record(
        actor=actor, municipality=municipality, action="user.two_factor_enrol", target=actor
    )
    return codes


@transaction.atomic
def two_factor_backup_codes_renew(*, actor: User, municipality: Municipality | None) -> list[str]:
    """New backup codes for the user; the old ones stop working. Returns them, shown once."""
    codes = _new_backup_codes(actor)
    audit_record(
        actor=actor,
        municipality=municipality,
        action="user.two_factor_backup_codes",
        target=actor,
    )
    return codes


def _new_backup_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="backup codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def user_two_factor_reset(*, actor: User | None, municipality: Municipality, user: User) -> int:
    """Remove a user's authenticator apps and backup codes (a lost phone).

    Any session they verified with them is no longer verified; at their next page they set
    up a new app if they must use one. Returns how many devices were removed.
    """
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        count, _by_model = model.objects.filter(user=user).delete()
        removed += count
    audit_record(
        actor=actor, municipality=municipality, action="user.two_factor_reset", target=user
    )
    return removed


@transaction.atomic
def user_signin_unlock(*, actor: User | None, municipality: Municipality, user: User) -> int:
    """Forget the wrong passwords counted against a user's account, from every address.

    What one address alone has counted (many accounts tried from it) stays: that is
    cleared with ``manage.py axes_reset_ip`` (docs/operations.md).
    """
    count: int
    count, _by_model = AccessAttempt.objects.filter(
        username=user.get_username().strip().lower()
    ).delete()
    audit_record(
        actor=actor,
        municipality=municipality,
        action="user.signin_unlock",
        target=user,
        changes={"attempts": [count, 0]},
    )
    return count
