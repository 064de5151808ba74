"""How the councils' models show a date."""

from __future__ import annotations

from datetime import date

from django.utils import formats


def short_date(value: date) -> str:
    """22.11.2026, the Norwegian way, in every language (see medvirk/formats)."""
    return formats.date_format(value, "SHORT_DATE_FORMAT")
