"""Staff pages for results: the rounds, the heat map, one group's figures, comments, files.

Thin: check, call a selector or service, render. Every figure comes from presentation.py
and only from stored cells, which hold nothing of a suppressed group.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from medvirk.core import tasks
from medvirk.core.forms import attempt
from medvirk.core.http import StaffRequest
from medvirk.core.models import BackgroundTask
from medvirk.organisation.decorators import staff_required
from medvirk.organisation.services import audit_record
from medvirk.surveys.models import Audience, Round

from . import presentation, selectors, services
from .forms import CommentForm
from .models import CommentReview, ResultCell, ResultSet

AUDIENCES = {Audience.USERS.value, Audience.RELATIVES.value}


def _round(request: StaffRequest, pk: int, permission: str = "results.view_round") -> Round:
    round_ = selectors.round_get(user=request.user, municipality=request.municipality, pk=pk)
    if not request.user.has_perm(permission, round_):
        raise PermissionDenied
    return round_


def _result_set(round_: Round) -> ResultSet:
    result_set = ResultSet.objects.filter(round=round_).first()
    if result_set is None:
        raise Http404
    return result_set


def _audience(value: str | None) -> str:
    if value is None:
        return Audience.USERS
    if value not in AUDIENCES:
        raise Http404
    return value


@staff_required("results.view_list")
def rounds(request: StaffRequest) -> HttpResponse:
    found = selectors.rounds_with_results(user=request.user, municipality=request.municipality)
    rows = [
        {
            "round": round_,
            "result_set": ResultSet.objects.filter(round=round_).first(),
            "can_run": request.user.has_perm("results.run", round_),
        }
        for round_ in found
    ]
    return render(request, "results/rounds.html", {"rows": rows})


@staff_required("results.view_list")
def round_overview(request: StaffRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    result_set = ResultSet.objects.filter(round=round_).first()
    can_run = request.user.has_perm("results.run", round_)
    audience = _audience(request.GET.get("audience"))
    view = "change" if request.GET.get("view") == "change" else "score"
    context: dict[str, Any] = {
        "round": round_,
        "result_set": result_set,
        "can_run": can_run,
        "audience": audience,
        "audiences": _audiences(round_),
        "view": view,
        "sort": request.GET.get("sort", ""),
        "recent": BackgroundTask.objects.filter(
            municipality=request.municipality, kind="results.compute", params__round=round_.pk
        )[:3]
        if can_run
        else [],
    }
    if result_set is not None:
        cells = selectors.cells_visible(user=request.user, result_set=result_set, audience=audience)
        context["heat"] = presentation.heat_map(
            result_set, audience, cells, view=view, sort=context["sort"]
        )
        context["pending_comments"] = CommentReview.objects.filter(
            round=round_, state=CommentReview.State.PENDING
        ).count()
    return render(request, "results/round.html", context)


def _audiences(round_: Round) -> list[tuple[str, str]]:
    found = [(Audience.USERS.value, _("Users"))]
    if round_.relatives_questionnaire_id:
        found.append((Audience.RELATIVES.value, _("Relatives")))
    return found


@require_POST
@staff_required("results.view_list")
def compute(request: StaffRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk, "results.run")
    if round_.state == Round.State.DRAFT:
        messages.error(request, _("The round has not opened; there are no answers yet."))
        return redirect("results:round", pk=round_.pk)
    task = tasks.enqueue(
        kind="results.compute",
        municipality=request.municipality,
        actor=request.user,
        params={"round": round_.pk},
    )
    return redirect("core:task_status", pk=task.pk)


@require_POST
@staff_required("results.view_list")
def publish(request: StaffRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk, "results.run")
    result_set = _result_set(round_)
    if request.POST.get("action") == "withdraw":
        attempt(
            request,
            lambda: services.results_withdraw(actor=request.user, result_set=result_set),
            _("The results are withdrawn from the public pages."),
        )
    else:
        attempt(
            request,
            lambda: services.results_publish(actor=request.user, result_set=result_set),
            _("The results are published on the public pages."),
        )
    return redirect("results:round", pk=round_.pk)


@staff_required("results.view_list")
def cell(request: StaffRequest, pk: int, audience: str, key: str) -> HttpResponse:
    round_ = _round(request, pk)
    result_set = _result_set(round_)
    found = selectors.cell_get(
        user=request.user, result_set=result_set, audience=_audience(audience), key=key
    )
    area = selectors.area_cell(result_set, found.audience)
    view = presentation.cell_view(found, compare=area)
    return render(
        request,
        "results/cell.html",
        {
            "round": round_,
            "result_set": result_set,
            "cell": found,
            "view": view,
            "charts": _charts(view, "c"),
            "comments": selectors.comments_shown(found),
            "can_run": request.user.has_perm("results.run", round_),
        },
    )


def _charts(view: presentation.CellView, prefix: str) -> dict[str, str]:
    if not view.shown:
        return {}
    return {
        "distribution": presentation.distribution_chart(view, id_prefix=f"{prefix}-dist"),
        "means": presentation.means_chart(view, id_prefix=f"{prefix}-mean"),
        "ipa": presentation.ipa_chart(view, id_prefix=f"{prefix}-ipa"),
        "change": presentation.change_chart(view, id_prefix=f"{prefix}-change"),
    }


# --- comments -----------------------------------------------------------------------------


@staff_required("results.view_list")
def comments(request: StaffRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk, "results.run")
    state = request.GET.get("state", CommentReview.State.PENDING)
    if state not in CommentReview.State.values:
        raise Http404
    reviews = (
        CommentReview.objects.filter(round=round_, state=state)
        .select_related("text", "unit")
        .order_by("unit__name", "pk")
    )
    rows = [
        {
            "review": review,
            "form": CommentForm(
                initial={"text": services.proposed_text(review)}, prefix=f"c{review.pk}"
            ),
            "kinds": sorted({flag["kind"] for flag in review.flags}),
        }
        for review in reviews[:200]
    ]
    counts = {
        value: CommentReview.objects.filter(round=round_, state=value).count()
        for value in CommentReview.State.values
    }
    return render(
        request,
        "results/comments.html",
        {
            "round": round_,
            "rows": rows,
            "state": state,
            "states": [(v, label, counts[v]) for v, label in CommentReview.State.choices],
        },
    )


@require_POST
@staff_required("results.view_list")
def comment(request: StaffRequest, pk: int, review_pk: int) -> HttpResponse:
    round_ = _round(request, pk, "results.run")
    review = get_object_or_404(CommentReview, round=round_, pk=review_pk)
    form = CommentForm(request.POST, prefix=f"c{review.pk}")
    decision = request.POST.get("decision", "")
    if decision not in ("approve", "redact", "reject") or not form.is_valid():
        messages.error(request, _("Choose approve, approve as edited, or reject."))
        return redirect(f"{reverse('results:comments', args=[round_.pk])}#c{review.pk}")
    screened = attempt(
        request,
        lambda: services.comment_review(
            actor=request.user, review=review, decision=decision, text=form.cleaned_data["text"]
        ),
        _("The comment is screened."),
    )
    if not screened:
        return redirect(f"{reverse('results:comments', args=[round_.pk])}#c{review.pk}")
    return redirect("results:comments", pk=round_.pk)


# --- files --------------------------------------------------------------------------------


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _exported(request: StaffRequest, round_: Round, what: str) -> None:
    audit_record(
        actor=request.user,
        municipality=request.municipality,
        action="results.export",
        target=round_,
        changes={"file": [None, what]},
    )


@staff_required("results.view_list")
def cell_report(request: StaffRequest, pk: int, audience: str, key: str) -> HttpResponse:
    from . import reports

    round_ = _round(request, pk)
    result_set = _result_set(round_)
    found = selectors.cell_get(
        user=request.user, result_set=result_set, audience=_audience(audience), key=key
    )
    if not found.is_shown:
        raise Http404
    pdf = reports.unit_report(found)
    _exported(request, round_, f"report {found.key}")
    return _download(pdf, "application/pdf", f"resultater-{found.key}.pdf")


@staff_required("results.view_list")
def area_report(request: StaffRequest, pk: int, audience: str) -> HttpResponse:
    from . import reports

    round_ = _round(request, pk, "results.run")
    result_set = _result_set(round_)
    pdf = reports.area_report(result_set, _audience(audience))
    _exported(request, round_, f"report area {audience}")
    return _download(pdf, "application/pdf", f"resultater-{audience}.pdf")


@staff_required("results.view_list")
def workbook(request: StaffRequest, pk: int) -> HttpResponse:
    from . import spreadsheet

    round_ = _round(request, pk, "results.run")
    result_set = _result_set(round_)
    content = spreadsheet.workbook(result_set)
    _exported(request, round_, "xlsx")
    return _download(
        content,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "resultater.xlsx",
    )


@staff_required("results.view_list")
def answers_csv(request: StaffRequest, pk: int, audience: str) -> HttpResponse:
    from . import exports

    round_ = _round(request, pk, "results.run")
    result_set = _result_set(round_)
    content = exports.anonymised_csv(result_set, audience=_audience(audience))
    _exported(request, round_, f"csv {audience}")
    return _download(content, "text/csv; charset=utf-8", f"svar-{audience}.csv")


def cell_url(cell: ResultCell) -> str:
    return reverse("results:cell", args=[cell.result_set.round_id, cell.audience, cell.key])
