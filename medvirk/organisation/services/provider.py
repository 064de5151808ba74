"""Sign-in through the municipality's OpenID Connect provider (``oidc.py``): which user an
identity is, and the roles the provider gives."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import (
    Municipality,
    ProviderIdentity,
    RoleAssignment,
    ServiceArea,
    Unit,
    User,
)
from ..oidc import RoleScope
from ._common import audit_record
from .staff import role_assign, role_revoke, user_create

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


def _identity_link(
    *,
    municipality: Municipality,
    issuer: str,
    claims: Mapping[str, Any],
    email: str,
    given: set[RoleScope] | None,
) -> ProviderIdentity:
    """The first sign-in of a provider's ``sub``: linked to the active user of this
    municipality with the provider-verified ``email``, else to a new user when the map gives
    a role."""
    subject = str(claims["sub"])
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
    return identity


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
        identity = _identity_link(
            municipality=municipality, issuer=issuer, claims=claims, email=email, given=given
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
