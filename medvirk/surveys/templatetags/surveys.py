"""Template filters for questionnaire texts and import reports."""

from __future__ import annotations

from typing import Any

from django import template

from ..questionnaire import Text
from ..reports import problem_message

register = template.Library()


@register.filter
def text_in(text: Text | None, language: str) -> str:
    """A questionnaire text in the reader's language (bokmål where it has none)."""
    return text.get(language) if text is not None else ""


@register.filter
def problem(entry: dict[str, Any]) -> str:
    """One problem of an import report (as the task stored it) in the reader's language."""
    return problem_message(entry["code"], entry.get("params", {}))
