"""Language choice: bokmål unless the visitor has chosen nynorsk or English.

Django's LocaleMiddleware would follow the browser's Accept-Language header. Medvirk does
not: many Norwegians run English-language browsers and phones, and the letters, the
municipality and its staff speak Norwegian. The choice made with the language form (kept in
a cookie) is the only thing that changes the language; an unknown code means bokmål.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
