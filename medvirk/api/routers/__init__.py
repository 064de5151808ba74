"""One router per module the API reaches. Each operation names its scope (``scoped``) and
documents every answer it can give (``answers``), so that the schema is complete."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Path

from ..auth import KeyAuth
from ..models import Scope
from ..schemas import ErrorOut, ValidationErrorOut

# A database id: bounded, so that no number the client sends overflows the column.
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]

REFUSALS: dict[int, Any] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ValidationErrorOut,
    429: ErrorOut,
}


def scoped(
    scope: Scope, ok: dict[int, Any], *, openapi: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The keyword arguments of an operation that needs ``scope`` and answers ``ok``."""
    return {
        "auth": KeyAuth(scope),
        "response": {**ok, **REFUSALS},
        "openapi_extra": {"x-scope": scope.value, **(openapi or {})},
    }
