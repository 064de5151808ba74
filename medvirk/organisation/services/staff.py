"""Staff users and their roles."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import (
    Municipality,
    Role,
    RoleAssignment,
    ServiceArea,
    Unit,
    User,
)
from ._common import _create, _update, audit_record

USER_FIELDS = ("username", "first_name", "last_name", "email", "is_active")

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
