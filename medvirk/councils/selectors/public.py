"""What the public pages show: councils, members who consented, meetings and minutes."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.organisation.models import Municipality

from ..models import Council, Meeting, Membership
from .members import members_on


def public_councils(*, municipality: Municipality) -> QuerySet[Council]:
    return (
        Council.objects.filter(unit__service_area__municipality=municipality, unit__is_active=True)
        .select_related("unit__district", "unit__service_area")
        .order_by("unit__district__name", "unit__name")
    )


def public_council_get(*, municipality: Municipality, pk: int) -> Council:
    found = public_councils(municipality=municipality).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def public_members(council: Council, day: date | None = None) -> list[Membership]:
    """Members whose names may be published: only those who consented, and only now."""
    day = day or timezone.localdate()
    return [m for m in members_on(council, day) if m.public_consent]


def public_meetings(council: Council) -> QuerySet[Meeting]:
    """Meeting dates of last year, this year and later (not cancelled ones)."""
    since = timezone.localdate().year - 1
    return (
        council.meetings.filter(plan__year__gte=since)
        .exclude(state=Meeting.State.CANCELLED)
        .order_by("starts_at")
    )


def public_minutes(council: Council) -> QuerySet[Meeting]:
    return council.meetings.filter(state=Meeting.State.MINUTES_APPROVED).order_by("-starts_at")


def public_minutes_get(council: Council, pk: int) -> Meeting:
    found = public_minutes(council).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def public_name(membership: Membership) -> str:
    """A member's name where it may be shown to anyone, or what they are without it."""
    if membership.public_consent:
        return membership.name
    return _("%(role)s (name not published)") % {"role": membership.get_role_display()}
