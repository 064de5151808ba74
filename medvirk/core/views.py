"""Pages every module shares: the public front page, the staff overview, the health check."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from medvirk.core.http import MunicipalityRequest, StaffRequest
from medvirk.organisation.decorators import staff_required
from medvirk.organisation.rules import role_set


def home(request: MunicipalityRequest) -> HttpResponse:
    return render(request, "core/home.html")


@staff_required()
def dashboard(request: StaffRequest) -> HttpResponse:
    municipality = request.municipality
    roles = request.user.role_assignments.filter(municipality=municipality).select_related(
        "unit", "service_area"
    )
    return render(
        request,
        "core/dashboard.html",
        {"assignments": roles, "roles": role_set(request.user, municipality.pk)},
    )


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 when it does not. For load balancers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
