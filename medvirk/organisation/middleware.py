"""Resolve which municipality a request belongs to, from its host name.

Like Decidim's organisations, each municipality of an installation has its own address
(``Municipality.host``); a single-municipality installation needs none. Every view reads
``request.municipality`` and scopes its queries to it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from .selectors import municipality_for_host

# Paths that work without a municipality: the health check, static files, the back office.
EXEMPT_PREFIXES = ("/healthz", "/static/", "/media/", "/admin/", "/i18n/")


class MunicipalityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.municipality = None  # type: ignore[attr-defined]
        if request.path.startswith(EXEMPT_PREFIXES):
            return self.get_response(request)
        municipality = municipality_for_host(
            request.get_host(), default_slug=settings.MEDVIRK_DEFAULT_MUNICIPALITY
        )
        if municipality is None:
            response = TemplateResponse(
                request, "core/no_municipality.html", {"host": request.get_host()}, status=404
            )
            return response.render()
        request.municipality = municipality  # type: ignore[attr-defined]
        return self.get_response(request)
