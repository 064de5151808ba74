"""Every write to the organisation, each one atomic, validated and written to the audit log.

Views, management commands and the demo loader all come through here, so the staff UI and
scripts behave the same. Functions take keyword arguments only and are named
``<entity>_<verb>``. ``actor`` is the staff user doing it, or ``None`` for the system
itself (set-up commands, the demo).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from axes.models import AccessAttempt
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from medvirk.core.hooks import Hook

from . import audit
from .audit import ACTION_LABELS
from .models import (
    AuditEntry,
    District,
    Municipality,
    ProviderIdentity,
    Role,
    RoleAssignment,
    Service,
    ServiceArea,
    ServiceType,
    Unit,
    User,
)
from .oidc import RoleScope
from .selectors import clear_host_cache

M = TypeVar("M", bound=models.Model)

SYSTEM_ACTOR_NAME = "Medvirk"

MUNICIPALITY_FIELDS = (
    "name",
    "host",
    "logo",
    "brand_colour",
    "results_min_n",
    "two_factor_required",
)
SERVICE_AREA_FIELDS = ("code", "name")
DISTRICT_FIELDS = ("name", "code")
UNIT_FIELDS = (
    "name",
    "code",
    "district",
    "street_address",
    "postal_code",
    "place",
    "phone",
    "email",
    "is_active",
)
SERVICE_TYPE_FIELDS = ("code", "name")
USER_FIELDS = ("username", "first_name", "last_name", "email", "is_active")


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


# --- municipality and structure --------------------------------------------------------


# What a new municipality needs from the modules that build on the organisation (the
# councils' settings). A hook rather than an import: they import this module, not it them.
after_municipality_create: Hook[[Municipality]] = Hook("after a municipality is created")


@transaction.atomic
def municipality_create(
    *,
    actor: User | None,
    name: str,
    slug: str,
    number: str,
    host: str = "",
    brand_colour: str = "#1f4e79",
    two_factor_required: bool | None = None,
) -> Municipality:
    """A new municipality; ``two_factor_required`` None takes the installation's default.

    Runs ``after_municipality_create`` in its transaction.
    """
    municipality = Municipality(
        name=name, slug=slug, number=number, host=host, brand_colour=brand_colour
    )
    if two_factor_required is not None:
        municipality.two_factor_required = two_factor_required
    municipality.full_clean()
    municipality.save()
    after_municipality_create.run(municipality)
    transaction.on_commit(clear_host_cache)
    audit_record(
        actor=actor,
        municipality=municipality,
        action="municipality.create",
        target=municipality,
        changes={"name": [None, name], "number": [None, number]},
    )
    return municipality


# What follows a change of the smallest group shown in results: the results module
# recomputes every stored result with the new value.
after_min_n_change: Hook[[Municipality]] = Hook("after the smallest group shown changes")


@transaction.atomic
def municipality_update(
    *, actor: User | None, municipality: Municipality, data: Mapping[str, Any]
) -> Municipality:
    """Change the municipality's settings; a new ``results_min_n`` runs ``after_min_n_change``."""
    transaction.on_commit(clear_host_cache)
    # Locked before it is read, so that two changes at once cannot both miss the change.
    min_n_before = (
        Municipality.objects.select_for_update()
        .values_list("results_min_n", flat=True)
        .get(pk=municipality.pk)
    )
    updated = _update(
        actor=actor,
        municipality=municipality,
        instance=municipality,
        data=data,
        allowed=MUNICIPALITY_FIELDS,
        action="municipality.update",
    )
    if updated.results_min_n != min_n_before:
        # In this transaction rather than queued for the worker: results protected for a
        # smaller group must not stay readable once the setting asks for a larger one.
        after_min_n_change.run(updated)
    return updated


@transaction.atomic
def service_area_create(
    *, actor: User | None, municipality: Municipality, code: str, name: str
) -> ServiceArea:
    return _create(
        actor=actor,
        municipality=municipality,
        instance=ServiceArea(municipality=municipality, code=code, name=name),
        fields=SERVICE_AREA_FIELDS,
        action="service_area.create",
    )


@transaction.atomic
def service_area_update(
    *, actor: User | None, service_area: ServiceArea, data: Mapping[str, Any]
) -> ServiceArea:
    return _update(
        actor=actor,
        municipality=service_area.municipality,
        instance=service_area,
        data=data,
        allowed=SERVICE_AREA_FIELDS,
        action="service_area.update",
    )


@transaction.atomic
def district_create(
    *, actor: User | None, service_area: ServiceArea, name: str, code: str
) -> District:
    return _create(
        actor=actor,
        municipality=service_area.municipality,
        instance=District(service_area=service_area, name=name, code=code),
        fields=DISTRICT_FIELDS,
        action="district.create",
    )


@transaction.atomic
def district_update(*, actor: User | None, district: District, data: Mapping[str, Any]) -> District:
    return _update(
        actor=actor,
        municipality=district.service_area.municipality,
        instance=district,
        data=data,
        allowed=DISTRICT_FIELDS,
        action="district.update",
    )


@transaction.atomic
def unit_create(*, actor: User | None, service_area: ServiceArea, data: Mapping[str, Any]) -> Unit:
    unknown = set(data) - set(UNIT_FIELDS)
    if unknown:
        raise ValueError(f"unknown unit fields {sorted(unknown)}")
    return _create(
        actor=actor,
        municipality=service_area.municipality,
        instance=Unit(service_area=service_area, **data),
        fields=UNIT_FIELDS,
        action="unit.create",
    )


@transaction.atomic
def unit_update(*, actor: User | None, unit: Unit, data: Mapping[str, Any]) -> Unit:
    return _update(
        actor=actor,
        municipality=unit.service_area.municipality,
        instance=unit,
        data=data,
        allowed=UNIT_FIELDS,
        action="unit.update",
    )


@transaction.atomic
def service_type_create(
    *, actor: User | None, municipality: Municipality, code: str, name: str
) -> ServiceType:
    return _create(
        actor=actor,
        municipality=municipality,
        instance=ServiceType(municipality=municipality, code=code, name=name),
        fields=SERVICE_TYPE_FIELDS,
        action="service_type.create",
    )


@transaction.atomic
def service_type_update(
    *, actor: User | None, service_type: ServiceType, data: Mapping[str, Any]
) -> ServiceType:
    if service_type.municipality is None:
        raise ValidationError(_("Built-in service types cannot be changed."))
    return _update(
        actor=actor,
        municipality=service_type.municipality,
        instance=service_type,
        data=data,
        allowed=SERVICE_TYPE_FIELDS,
        action="service_type.update",
    )


@transaction.atomic
def unit_service_add(*, actor: User | None, unit: Unit, service_type: ServiceType) -> Service:
    if Service.objects.filter(unit=unit, service_type=service_type).exists():
        raise ValidationError(
            {"service_type": _("The unit already delivers this service.")}, code="unique"
        )
    service = Service(unit=unit, service_type=service_type)
    service.full_clean()
    service.save()
    audit_record(
        actor=actor,
        municipality=unit.service_area.municipality,
        action="service.add",
        target=service,
        changes={"service_type": [None, service_type.label]},
    )
    return service


@transaction.atomic
def unit_service_remove(*, actor: User | None, service: Service) -> None:
    audit_record(
        actor=actor,
        municipality=service.unit.service_area.municipality,
        action="service.remove",
        target=service,
        changes={"service_type": [service.service_type.label, None]},
    )
    service.delete()


# --- staff and roles -------------------------------------------------------------------


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    municipality: Municipality,
    username: str,
    first_name: str,
    last_name: str,
    email: str = "",
    password: str | None = None,
    role: Role | str,
    unit: Unit | None = None,
    service_area: ServiceArea | None = None,
) -> User:
    """A staff account with its first role in the municipality, so nobody is left without one.

    Without a password the account cannot sign in until one is set (or single sign-on is).
    """
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    _create(
        actor=actor,
        municipality=municipality,
        instance=user,
        fields=("username", "first_name", "last_name", "email"),
        action="user.create",
    )
    role_assign(
        actor=actor,
        municipality=municipality,
        user=user,
        role=role,
        unit=unit,
        service_area=service_area,
    )
    return user


@transaction.atomic
def user_update(
    *, actor: User | None, municipality: Municipality, user: User, data: Mapping[str, Any]
) -> User:
    return _update(
        actor=actor,
        municipality=municipality,
        instance=user,
        data=data,
        allowed=USER_FIELDS,
        action="user.update",
    )


@transaction.atomic
def user_set_password(
    *, actor: User | None, municipality: Municipality, user: User, password: str
) -> User:
    """Set a password (already checked against the validators by the form)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, municipality=municipality, action="user.set_password", target=user)
    return user


@transaction.atomic
def role_assign(
    *,
    actor: User | None,
    municipality: Municipality,
    user: User,
    role: Role | str,
    unit: Unit | None = None,
    service_area: ServiceArea | None = None,
) -> RoleAssignment:
    assignment = RoleAssignment(
        user=user, municipality=municipality, role=role, unit=unit, service_area=service_area
    )
    assignment.full_clean()
    assignment.save()
    audit_record(
        actor=actor,
        municipality=municipality,
        action="role.assign",
        target=user,
        changes={"role": [None, str(assignment)]},
    )
    return assignment


@transaction.atomic
def role_revoke(
    *, actor: User | None, assignment: RoleAssignment, allow_last: bool = False
) -> None:
    """Remove a role. A user keeps at least one (deactivate the account instead), and an
    administrator cannot remove their own administrator role.

    ``allow_last`` is for the sign-in provider's word (``provider_roles_sync``): someone it
    no longer gives a role keeps no role, and so can no longer sign in.
    """
    others = RoleAssignment.objects.filter(
        user=assignment.user, municipality=assignment.municipality
    ).exclude(pk=assignment.pk)
    if not allow_last and not others.exists():
        raise ValidationError(
            _("This is the user's only role. Deactivate the user instead of removing it.")
        )
    if (
        actor is not None
        and actor.pk == assignment.user_id
        and assignment.role == Role.SYSTEM_ADMIN
    ):
        raise ValidationError(_("You cannot remove your own administrator role."))
    audit_record(
        actor=actor,
        municipality=assignment.municipality,
        action="role.revoke",
        target=assignment.user,
        changes={"role": [str(assignment), None]},
    )
    assignment.delete()


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


# --- sign-in through the municipality's provider (oidc.py) -----------------------------

NO_ROLE_MESSAGE = gettext_lazy(
    "You have signed in, but you have no role in Medvirk for this municipality. Ask your "
    "administrator to give you a role."
)


def _username_for(claims: Mapping[str, Any], fallback: str) -> str:
    """A free username from the provider's name for the person, as Django allows them."""
    wanted = str(claims.get("preferred_username") or claims.get("email") or fallback)
    base = re.sub(r"[^\w.@+-]", "", wanted.lower())[:140] or fallback[:140]
    username, number = base, 1
    while User.objects.filter(username__iexact=username).exists():
        number += 1
        username = f"{base}-{number}"
    return username


def _scope_objects(scope: RoleScope) -> dict[str, Any]:
    """The unit and service area of a role scope, as ``role_assign`` takes them."""
    return {
        "unit": Unit.objects.get(pk=scope.unit_id) if scope.unit_id is not None else None,
        "service_area": (
            ServiceArea.objects.get(pk=scope.service_area_id)
            if scope.service_area_id is not None
            else None
        ),
    }


def _user_for_email(email: str, municipality: Municipality) -> User | None:
    """The one active user with this address and a role in this municipality, or None.

    Only staff of this municipality: its provider vouches for addresses, and must not reach
    another municipality's user, nor an installation administrator. Several is for a person
    to sort out.
    """
    if not email:
        return None
    matches = list(
        User.objects.filter(
            email__iexact=email,
            is_active=True,
            is_superuser=False,
            is_staff=False,
            role_assignments__municipality=municipality,
        ).distinct()[:2]
    )
    if len(matches) > 1:
        raise ValidationError(
            _(
                "More than one Medvirk user has your e-mail address. Ask your administrator "
                "to sort it out."
            ),
            code="ambiguous",
        )
    return matches[0] if matches else None


@transaction.atomic
def provider_signin(
    *,
    municipality: Municipality,
    issuer: str,
    claims: Mapping[str, Any],
    email: str,
    given: set[RoleScope] | None,
    managed: set[RoleScope],
) -> User:
    """The user a provider's verified ID token (``claims``) stands for, with the roles the
    provider gives synchronised when the municipality maps them (``given`` None: it does not).

    The user is the one linked to the provider's ``sub``; on the first sign-in, the active
    user of this municipality with the provider-verified ``email``, else a new user when the
    map gives a role.
    Refuses with ``ValidationError`` whom it cannot match. Whether the user may then sign in
    (a role, the second factor) is for the caller to decide, after this has committed.
    """
    subject = str(claims["sub"])
    identity = (
        ProviderIdentity.objects.select_for_update()
        .select_related("user")
        .filter(municipality=municipality, issuer=issuer, subject=subject)
        .first()
    )
    if identity is None:
        user = _user_for_email(email, municipality)
        if user is None:
            if not given:
                raise ValidationError(NO_ROLE_MESSAGE, code="no_role")
            first = min(given, key=lambda scope: (scope.role, scope.unit_id or 0))
            user = user_create(
                actor=None,
                municipality=municipality,
                username=_username_for(claims, f"{municipality.slug}-{subject}"),
                first_name=str(claims.get("given_name") or "")[:150],
                last_name=str(claims.get("family_name") or "")[:150],
                email=email,
                role=first.role,
                **_scope_objects(first),
            )
        elif ProviderIdentity.objects.filter(
            user=user, municipality=municipality, issuer=issuer
        ).exists():
            raise ValidationError(
                _(
                    "Your Medvirk user is linked to another identity at this sign-in "
                    "provider. Ask your administrator to sort it out."
                ),
                code="linked",
            )
        identity = ProviderIdentity(
            user=user, municipality=municipality, issuer=issuer, subject=subject
        )
        identity.full_clean()
        identity.save()
        audit_record(
            actor=None,
            municipality=municipality,
            action="user.provider_link",
            target=user,
            changes={"issuer": [None, issuer]},
        )
    user = identity.user
    if not user.is_active:
        raise ValidationError(
            _("Your Medvirk user is deactivated. Ask your administrator."), code="inactive"
        )
    if given is not None:
        provider_roles_sync(municipality=municipality, user=user, given=given, managed=managed)
    identity.last_signin_at = timezone.now()
    identity.save(update_fields=["last_signin_at"])
    return user


@transaction.atomic
def provider_roles_sync(
    *, municipality: Municipality, user: User, given: set[RoleScope], managed: set[RoleScope]
) -> None:
    """Make the user's roles among ``managed`` (those the municipality's role map can give)
    exactly ``given``; roles outside the map, assigned in Medvirk, stay as they are.

    The provider is the actor: the changes are logged as the system's.
    """
    held = {
        RoleScope(a.role, a.service_area_id, a.unit_id): a
        for a in RoleAssignment.objects.select_for_update().filter(
            user=user, municipality=municipality
        )
    }
    for scope in sorted(given - held.keys(), key=repr):
        role_assign(
            actor=None,
            municipality=municipality,
            user=user,
            role=scope.role,
            **_scope_objects(scope),
        )
    for scope in sorted((managed & held.keys()) - given, key=repr):
        role_revoke(actor=None, assignment=held[scope], allow_last=True)
