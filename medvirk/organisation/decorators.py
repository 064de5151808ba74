"""The gate in front of every staff page: signed in, and a role in this municipality."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

View = Callable[..., HttpResponseBase]


def staff_required(permission: str = "organisation.use_staff_pages") -> Callable[[View], View]:
    """Require a signed-in user holding ``permission`` on the request's municipality."""

    def decorator(view: View) -> View:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            municipality = request.municipality  # type: ignore[attr-defined]
            if not request.user.has_perm(permission, municipality):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
