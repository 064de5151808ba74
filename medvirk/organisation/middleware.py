"""Resolve which municipality a request belongs to, from its host name.

Like Decidim's organisations, each municipality of an installation has its own address
(``Municipality.host``); a single-municipality installation needs none. Every view reads
``request.municipality`` and scopes its queries to it.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django_otp import user_has_device

from .oidc import form_action_sources, provider_for, signed_in_through_provider
from .rules import must_use_two_factor
from .selectors import municipality_for_host

# Paths that work without a municipality: the health check and metrics, static files, the
# back office, and the API, where the request's key decides the municipality
# (medvirk/api/auth.py).
EXEMPT_PREFIXES = ("/healthz", "/metrics", "/static/", "/media/", "/admin/", "/i18n/", "/api/")


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
        answer = self.get_response(request)
        provider = provider_for(municipality)
        if provider is not None:
            sources = form_action_sources(request, provider)
            if sources:
                # Read by the Content-Security-Policy middleware (core), like csp_update.
                update = dict(getattr(answer, "_csp_update", None) or {})
                update["form-action"] = [*update.get("form-action", []), *sources]
                answer._csp_update = update  # type: ignore[attr-defined]  # django-csp's own attribute
        return answer


# What a signed-in user who still owes the second factor may open: the two-factor pages
# themselves, signing out, the language form, and what pages need to show (static files).
TWO_FACTOR_OPEN_PREFIXES = (
    "/staff/account/two-factor/setup/",
    "/staff/account/two-factor/verify/",
    "/staff/logout/",
    "/i18n/",
    "/static/",
)


class TwoFactorMiddleware:
    """Holds a signed-in user at the second factor until they have given it.

    Who owes it: anyone with a confirmed device (an authenticator app or backup codes), and
    anyone who must use one (``rules.must_use_two_factor``). Someone without a device who must
    use one is sent to set one up; the rest to give a code. Every other page, the admin
    included, answers with that redirect, so a stolen password alone opens nothing.

    Not for a sign-in through the municipality's provider: the provider is responsible for
    the second factor, and the callback refused it without one where it is needed
    (oidc_views).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()  # type: ignore[attr-defined]
            and not request.path.startswith(TWO_FACTOR_OPEN_PREFIXES)
            and not signed_in_through_provider(request)
        ):
            has_device = user_has_device(user)
            if has_device or must_use_two_factor(user):
                target = reverse(
                    "organisation:two_factor_verify"
                    if has_device
                    else "organisation:two_factor_setup"
                )
                if request.method in ("GET", "HEAD"):
                    target += "?" + urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(target)
        return self.get_response(request)
