"""Annual reports: one council's year, and all the councils of a service area."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render

from medvirk.core.http import StaffRequest
from medvirk.organisation import selectors as organisation_selectors
from medvirk.organisation.decorators import staff_required
from medvirk.organisation.models import ServiceArea

from .. import annual, papers
from ._common import council_for, pdf_response

YEARS = range(2000, 2101)


def _year(year: int) -> int:
    if year not in YEARS:
        raise Http404
    return year


@staff_required("councils.use")
def council_report(request: StaffRequest, pk: int, year: int) -> HttpResponse:
    council = council_for(request, pk)
    report = annual.council_year(council, _year(year))
    return render(request, "councils/annual.html", {"council": council, "report": report})


@staff_required("councils.use")
def council_report_pdf(request: StaffRequest, pk: int, year: int) -> HttpResponse:
    council = council_for(request, pk)
    report = annual.council_year(council, _year(year))
    return pdf_response(
        papers.annual_pdf(report), f"arsrapport-{council.unit.code.lower()}-{year}.pdf"
    )


def _area(request: StaffRequest, pk: int) -> ServiceArea:
    area = (
        organisation_selectors.service_areas(municipality=request.municipality)
        .filter(pk=pk)
        .first()
    )
    if area is None:
        raise Http404
    if not request.user.has_perm("councils.view_area_report", area):
        raise PermissionDenied
    return area


@staff_required("councils.use")
def area_report(request: StaffRequest, pk: int, year: int) -> HttpResponse:
    area = _area(request, pk)
    report = annual.area_year(area, _year(year))
    return render(request, "councils/area_annual.html", {"area": area, "report": report})


@staff_required("councils.use")
def area_report_pdf(request: StaffRequest, pk: int, year: int) -> HttpResponse:
    area = _area(request, pk)
    report = annual.area_year(area, _year(year))
    return pdf_response(
        papers.area_annual_pdf(report), f"arsrapport-brukerrad-{area.code}-{year}.pdf"
    )
