from typing import Any

from django.http import HttpRequest

# The one call Medvirk makes: whether an address is locked out (the OpenID Connect callback
# refuses a locked address as the password form does).
class AxesProxyHandler:
    @classmethod
    def is_locked(cls, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool: ...
