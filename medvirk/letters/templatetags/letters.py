"""Template tags for letters' status pages."""

from __future__ import annotations

from django import template

from medvirk.surveys.models import Recipient

register = template.Library()


@register.simple_tag
def skipped_recipients(ids: list[int] | None) -> list[Recipient]:
    """The recipients a print left out, read now (the task keeps only their numbers)."""
    return list(Recipient.objects.filter(pk__in=ids or []).order_by("name")[:500])
