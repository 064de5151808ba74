"""Authentication of API requests: ``Authorization: Bearer <key>``, and each operation's scope.

An unknown, malformed or revoked key is refused with 401; a key without the operation's
scope with 403. The key decides the municipality: whatever host the request came to, a key
only ever reads and writes its own municipality's data.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import AuthorizationError
from ninja.security import HttpBearer

from . import keys, selectors, services
from .models import ApiKey, Scope


class KeyAuth(HttpBearer):
    """A valid key holding ``scope``; the same security scheme in the schema for every
    scope, which each operation names in ``x-scope``."""

    def __init__(self, scope: Scope) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        key = key_for(token)
        if key is None:
            return None
        if not key.allows(self.scope):
            raise AuthorizationError(
                message=f"This key does not have the scope {self.scope.value}."
            )
        services.key_touch(key)
        return key


def key_for(token: str) -> ApiKey | None:
    """The active key whose text this is; None for anything else."""
    prefix = keys.prefix_of(token)
    if prefix is None:
        return None
    key = selectors.key_by_prefix(prefix)
    if key is None or not key.is_active or not keys.matches(token, key.secret_hash):
        return None
    return key


def request_key(request: HttpRequest) -> ApiKey:
    """The key that authenticated the request (set by ``KeyAuth``)."""
    key: Any = getattr(request, "auth", None)
    if not isinstance(key, ApiKey):  # an operation without a KeyAuth: a fault in the code
        raise TypeError("the request was not authenticated with an API key")
    return key
