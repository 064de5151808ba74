"""Middleware of the layout: the language, and the Content-Security-Policy.

Language choice: bokmål unless the visitor has chosen nynorsk or English.

Django's LocaleMiddleware would follow the browser's Accept-Language header. Medvirk does
not: many Norwegians run English-language browsers and phones, and the letters, the
municipality and its staff speak Norwegian. The choice made with the language form (kept in
a cookie) is the only thing that changes the language; an unknown code means bokmål.
"""

from __future__ import annotations

from typing import Any

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from . import colours


def chosen_language(request: HttpRequest) -> str:
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    try:
        return translation.get_supported_language_variant(code) if code else settings.LANGUAGE_CODE
    except LookupError:
        return settings.LANGUAGE_CODE


class LanguageMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy (settings.CONTENT_SECURITY_POLICY), plus the hash of the one
    inline style a page of this municipality has: its brand colour (core.colours).

    A hash, not a nonce: the public results pages are kept whole in the cache and served to
    the next visitor as they are (results/public_views.py), so a nonce in them would be
    stale, while the hash of the colour's rule is the same for every page of the
    municipality.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: Any, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        municipality = getattr(request, "municipality", None)
        if municipality is not None:
            brand = colours.style_hash(colours.brand_rule(municipality.brand_colour))
            update = dict(parts.update or {})
            update["style-src"] = [*update.get("style-src", []), brand]
            parts.update = update
        return parts
