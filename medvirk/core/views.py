"""Pages every module shares: the public front page, the staff overview, the health check."""

from __future__ import annotations

from uuid import UUID

from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from medvirk.core import tasks
from medvirk.core.http import MunicipalityRequest, StaffRequest
from medvirk.core.models import BackgroundTask
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


@never_cache
@staff_required()
def task_status(request: StaffRequest, pk: UUID) -> HttpResponse:
    """How far a background task has come, and what it found when it is done.

    Only the person who started it (and administrators) may look. The page works without
    JavaScript (a link reloads it); with JavaScript it updates itself.
    """
    municipality = request.municipality
    task = (
        BackgroundTask.objects.filter(municipality=municipality, pk=pk)
        .select_related("created_by")
        .first()
    )
    if task is None:
        raise Http404
    if (
        task.created_by_id != request.user.pk
        and not role_set(request.user, municipality.pk).is_admin
    ):
        raise Http404
    if request.GET.get("format") == "json":
        return JsonResponse(
            {"status": task.status, "finished": task.is_finished, "percent": task.percent}
        )
    kind = tasks.kind_of(task)
    return render(
        request,
        "core/task_status.html",
        {
            "task": task,
            "label": kind.label if kind else task.kind,
            "result_template": kind.result_template if kind else None,
            "Status": BackgroundTask.Status,
        },
    )
