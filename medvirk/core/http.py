"""Request types for views, so type checkers know what the middleware puts on a request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from medvirk.organisation.models import Municipality, User


class SignedInRequest(HttpRequest):
    """A request from a signed-in user (see ``login_required``)."""

    user: User


class MunicipalityRequest(HttpRequest):
    """A request that ``MunicipalityMiddleware`` has resolved to a municipality."""

    municipality: Municipality


class StaffRequest(MunicipalityRequest):
    """A request from a signed-in staff user (see ``organisation.decorators.staff_required``)."""

    user: User
