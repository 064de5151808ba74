"""The public pages of the councils, mounted at /brukerrad/ (see medvirk/urls.py).

Readable without signing in. Members' names are shown only where they consented; approved
minutes are shown in their public version, where a member without consent is named by role
only and registered participants are counted, not named.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from medvirk.core.http import MunicipalityRequest

from .. import papers, selectors
from ..models import Council, Delivery
from ._common import pdf_response


@require_safe
def councils(request: MunicipalityRequest) -> HttpResponse:
    found = list(selectors.public_councils(municipality=request.municipality))
    districts: dict[str, list[Council]] = {}
    for council in found:
        name = council.unit.district.name if council.unit.district else ""
        districts.setdefault(name, []).append(council)
    settings = selectors.settings_for(request.municipality)
    return render(
        request,
        "councils/public/councils.html",
        {
            "groups": sorted(districts.items(), key=lambda pair: (pair[0] == "", pair[0])),
            "sections": settings.rule_sections,
        },
    )


@require_safe
def council(request: MunicipalityRequest, pk: int) -> HttpResponse:
    found = selectors.public_council_get(municipality=request.municipality, pk=pk)
    members = selectors.public_members(found)
    everyone = selectors.members_on(found, timezone.localdate())
    return render(
        request,
        "councils/public/council.html",
        {
            "council": found,
            "members": members,
            "unnamed": len(everyone) - len(members),
            "meetings": list(selectors.public_meetings(found)),
            "minutes": list(selectors.public_minutes(found)),
            "sections": selectors.settings_for(request.municipality).rule_sections,
        },
    )


@require_safe
def minutes(request: MunicipalityRequest, pk: int, meeting_pk: int) -> HttpResponse:
    found = selectors.public_council_get(municipality=request.municipality, pk=pk)
    meeting = selectors.public_minutes_get(found, meeting_pk)
    attendance = [
        (a, selectors.public_name(a.membership))
        for a in meeting.attendance.select_related("membership")
    ]
    return render(
        request,
        "councils/public/minutes.html",
        {
            "council": found,
            "meeting": meeting,
            "attendance": attendance,
            "items": [
                (item, selectors.item_figures(item, public=True))
                for item in meeting.items.order_by("number")
            ],
            "registered": meeting.registrations.count(),
        },
    )


@require_safe
def minutes_pdf(request: MunicipalityRequest, pk: int, meeting_pk: int) -> HttpResponse:
    found = selectors.public_council_get(municipality=request.municipality, pk=pk)
    meeting = selectors.public_minutes_get(found, meeting_pk)
    return pdf_response(
        papers.minutes_pdf(meeting, public=True), papers.filename(meeting, Delivery.Papers.MINUTES)
    )
