"""Template filters every module uses: long dates in the reader's language, percentages."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone, translation
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _

from medvirk.core import colours

register = template.Library()

# "mandag 17. oktober 2026" / "Monday 17 October 2026"; Norwegian clocks say 08.00.
LONG_DATE = {"nb": "l j. F Y", "nn": "l j. F Y", "en": "l j F Y"}
CLOCK = {"nb": "H.i", "nn": "H.i", "en": "H:i"}


def long_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    language = translation.get_language() or "nb"
    return format_date(value, LONG_DATE.get(language, LONG_DATE["nb"]))


def long_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    language = translation.get_language() or "nb"
    return _("%(date)s at %(time)s") % {
        "date": long_date(local),
        "time": format_date(local, CLOCK.get(language, CLOCK["nb"])),
    }


def clock(value: datetime | None) -> str:
    """The time of day the reader's way: 14.32 in Norwegian, 14:32 in English."""
    if value is None:
        return ""
    language = translation.get_language() or "nb"
    return format_date(timezone.localtime(value), CLOCK.get(language, CLOCK["nb"]))


register.filter("long_date", long_date)
register.filter("long_datetime", long_datetime)
register.filter("clock", clock)


@register.filter
def percent(value: float | None) -> str:
    """0.4567 → "46 %" (Norwegian style, with a space); None → "–"."""
    if value is None:
        return "–"
    return f"{round(100 * value)}\xa0%"


@register.filter
def brand_rule(colour: str) -> str:
    """The brand colour's style rule, the text the CSP hash allows (core.colours)."""
    return colours.brand_rule(colour)
