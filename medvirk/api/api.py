"""The versioned API (v1), built on django-ninja.

django-ninja rather than Django REST framework with drf-spectacular: the operations are
plain functions with type hints, and ninja makes both the request checking and the
OpenAPI 3 schema from those hints (pydantic), so the schema cannot drift from the code.
That fits Medvirk's typed services and selectors, which the operations only call; DRF's
serializers and viewsets would be a second, untyped layer beside the forms, and its schema
a separate generator to keep in step. ninja is maintained and its one dependency is pydantic.

The framework's own docs page (Swagger UI) loads JavaScript from a CDN, which neither the
no-JavaScript rule nor the Content-Security-Policy allows: it is off, and the staff page
``api:docs`` renders the schema as HTML on the server instead.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from .routers import recipients, results, rounds, tasks
from .throttle import KeyThrottle

api = NinjaAPI(
    title="Medvirk API",
    version="1",
    description="Survey rounds, published results and recipient import for integrations. "
    "Authenticate with an API key: `Authorization: Bearer <key>`.",
    urls_namespace="api-v1",
    docs_url=None,
    openapi_url="/openapi.json",
    throttle=[KeyThrottle()],
)
api.add_router("", rounds.router)
api.add_router("", recipients.router)
api.add_router("", results.router)
api.add_router("", tasks.router)


@api.exception_handler(ValidationError)
def refused(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A service's refusal, in the words the staff pages would show."""
    return api.create_response(request, {"detail": " ".join(exc.messages)}, status=400)
