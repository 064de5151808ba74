"""Staff pages of one meeting: its agenda, the notice, the minutes, registrations, papers.

A meeting's page shows what can be done next in its state; each step is a form posted to
its own address and done by a service, which refuses what the state does not allow (an
agenda change after approval, a notice with an unconfirmed individual case).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from medvirk.core.forms import attempt, form_page, refused
from medvirk.core.http import StaffRequest
from medvirk.organisation.decorators import staff_required
from medvirk.results.models import ResultCell

from .. import papers, selectors, services
from ..forms import (
    AgendaItemForm,
    ConfirmForm,
    MeetingForm,
    MinutesForm,
    RegistrationForm,
    ResultsChoiceForm,
    StatementsForm,
)
from ..models import AgendaItem, Delivery, Meeting, Registration
from ._common import FORM_PAGE, meeting_for, pdf_response

GATE = "councils.view_dialogue"  # every role that reads any meeting; each is checked again


@staff_required(GATE)
def meeting_detail(request: StaffRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk)
    settings = selectors.settings_for(request.municipality)
    items = list(meeting.items.order_by("number").select_related("results_round"))
    can_manage = request.user.has_perm("councils.manage_meeting", meeting)
    deliveries = selectors.deliveries(meeting) if can_manage else []
    return render(
        request,
        "councils/meeting.html",
        {
            "meeting": meeting,
            "council": meeting.council,
            "items": [
                (item, selectors.flag_views(item), selectors.item_figures(item)) for item in items
            ],
            "members": selectors.recipients(meeting),
            "attendance": list(meeting.attendance.select_related("membership")),
            "registrations": list(meeting.registrations.all()) if can_manage else [],
            "deliveries": deliveries,
            "sending": selectors.papers_sending(meeting) if can_manage else [],
            "failed": [d for d in deliveries if d.status == Delivery.Status.FAILED],
            "no_address": [d for d in deliveries if d.status == Delivery.Status.NO_ADDRESS],
            "warnings": selectors.meeting_warnings(meeting, settings=settings),
            "unconfirmed": [item for item in items if item.needs_confirmation],
            "State": Meeting.State,
            "Papers": Delivery.Papers,
            "steps": _steps(meeting),
            "can_manage": can_manage,
            "confirm_form": ConfirmForm(),
        },
    )


def _steps(meeting: Meeting) -> list[tuple[str, bool, bool]]:
    """The four states as a list: (label, done, current)."""
    order = [
        Meeting.State.PLANNED,
        Meeting.State.NOTICE_SENT,
        Meeting.State.HELD,
        Meeting.State.MINUTES_APPROVED,
    ]
    if meeting.state == Meeting.State.CANCELLED:
        return [(str(Meeting.State.CANCELLED.label), False, True)]
    reached = order.index(Meeting.State(meeting.state))
    return [(str(state.label), i < reached, i == reached) for i, state in enumerate(order)]


@staff_required(GATE)
def meeting_edit(request: StaffRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "councils.manage_meeting")
    form = MeetingForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        saved = refused(
            form,
            lambda: services.meeting_update(
                actor=request.user,
                meeting=meeting,
                data={
                    "kind": form.cleaned_data["kind"],
                    "starts_at": form.starts_at(),
                    "place": form.cleaned_data["place"],
                    "title": form.cleaned_data["title"],
                },
            ),
        )
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect(saved)
    return form_page(
        request,
        form,
        template=FORM_PAGE,
        title=_("Edit %(meeting)s") % {"meeting": meeting.heading},
        back_url=meeting.get_absolute_url(),
    )


@require_POST
@staff_required(GATE)
def meeting_cancel(request: StaffRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "councils.manage_meeting")
    attempt(
        request,
        lambda: services.meeting_cancel(actor=request.user, meeting=meeting),
        _("The meeting is cancelled. It no longer counts in the plan."),
    )
    return redirect(meeting)


# --- the agenda -----------------------------------------------------------------------


def _themes(request: StaffRequest) -> list[str]:
    return selectors.settings_for(request.municipality).theme_list


@staff_required(GATE)
def item_create(request: StaffRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "councils.manage_meeting")
    form = AgendaItemForm(request.POST or None, themes=_themes(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = refused(
            form,
            lambda: services.agenda_item_add(
                actor=request.user,
                meeting=meeting,
                title=data["title"],
                theme=data["theme"],
                description=data["description"],
                proposal=data["proposal"],
            ),
        )
        if saved is not None:
            _saved_message(request, saved)
            return redirect(meeting)
    return form_page(
        request,
        form,
        template=FORM_PAGE,
        title=_("New item for %(meeting)s") % {"meeting": meeting.heading},
        back_url=meeting.get_absolute_url(),
        lead=_(
            "The council gives advice on the quality of the services in general. Items about "
            "one person (a complaint, a resident's care, a decision on someone's services) "
            "belong elsewhere: such an item is flagged before the notice goes out."
        ),
    )


def _saved_message(request: StaffRequest, item: AgendaItem) -> None:
    if item.needs_confirmation:
        messages.warning(
            request,
            _(
                "Item %(number)s is saved, but it may be about an individual case. Rewrite it, "
                "or confirm that it is not one, before the notice is sent."
            )
            % {"number": item.label},
        )
    else:
        messages.success(request, _("Item %(number)s is saved.") % {"number": item.label})


@staff_required(GATE)
def item_edit(request: StaffRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "councils.manage_meeting")
    item = selectors.item_get(meeting=meeting, pk=item_pk)
    form = AgendaItemForm(
        request.POST or None, instance=item, themes=_themes(request), standing=item.is_standing
    )
    if request.method == "POST" and form.is_valid():
        saved = refused(
            form,
            lambda: services.agenda_item_update(
                actor=request.user,
                item=item,
                data={name: form.cleaned_data[name] for name in services.ITEM_FIELDS},
            ),
        )
        if saved is not None:
            _saved_message(request, saved)
            return redirect(meeting)
    return form_page(
        request,
        form,
        template=FORM_PAGE,
        title=_("Edit item %(number)s") % {"number": item.label},
        back_url=meeting.get_absolute_url(),
        flags=selectors.flag_views(item),
        delete_url=(
            reverse("councils:item_delete", args=[meeting.pk, item.pk])
            if meeting.state == Meeting.State.PLANNED and not item.is_standing
            else ""
        ),
    )


@require_POST
@staff_required(GATE)
def item_delete(request: StaffRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "councils.manage_meeting")
    item = selectors.item_get(meeting=meeting, pk=item_pk)
    attempt(
        request,
        lambda: services.agenda_item_delete(actor=request.user, item=item),
        _("The item is removed from the agenda."),
    )
    return redirect(meeting)


@require_POST
@staff_required(GATE)
def item_confirm(request: StaffRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "councils.manage_meeting")
    item = selectors.item_get(meeting=meeting, pk=item_pk)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        for message in form.errors.get("note") or []:
            messages.error(request, str(message))
        return redirect(f"{meeting.get_absolute_url()}#item-{item.pk}")
    attempt(
        request,
        lambda: services.agenda_item_confirm(
            actor=request.user, item=item, note=form.cleaned_data["note"]
        ),
        _("Item %(number)s is confirmed as not an individual case.") % {"number": item.label},
    )
    return redirect(f"{meeting.get_absolute_url()}#item-{item.pk}")


@staff_required(GATE)
def item_results(request: StaffRequest, pk: int, item_pk: int) -> HttpResponse:
    """Put survey figures with an item: first which results (GET), then which statements."""
    meeting = meeting_for(request, pk, "councils.manage_meeting")
    item = selectors.item_get(meeting=meeting, pk=item_pk)
    cells = selectors.unit_cells(user=request.user, council=meeting.council)
    chooser = ResultsChoiceForm(request.GET if "cell" in request.GET else None, cells=cells)
    cell = _chosen_cell(request, meeting, chooser)
    statements = None
    if cell is not None:
        statements = _statements_form(request, item, cell)
        if cell.is_shown and request.method == "POST" and statements.is_valid():
            chosen = statements.cleaned_data["statements"]
            saved = refused(
                statements,
                lambda: services.agenda_item_attach_results(
                    actor=request.user, item=item, cell=cell, statement_keys=chosen
                ),
            )
            if saved is not None:
                messages.success(
                    request,
                    _("The survey figures go with item %(number)s.") % {"number": item.label},
                )
                return redirect(f"{meeting.get_absolute_url()}#item-{item.pk}")
    return render(
        request,
        "councils/item_results.html",
        {
            "meeting": meeting,
            "item": item,
            "chooser": chooser,
            "cells": cells,
            "cell": cell,
            "form": statements,
        },
        status=400 if statements is not None and statements.errors else 200,
    )


def _chosen_cell(
    request: StaffRequest, meeting: Meeting, chooser: ResultsChoiceForm
) -> ResultCell | None:
    """The results the user picked: posted with the statements, or chosen first (GET)."""
    if request.method == "POST":
        try:
            return selectors.attachable_cell_get(
                user=request.user, council=meeting.council, pk=int(request.POST.get("cell", ""))
            )
        except ValueError:
            raise Http404 from None
    if chooser.is_bound and chooser.is_valid():
        return selectors.attachable_cell_get(
            user=request.user, council=meeting.council, pk=chooser.cleaned_data["cell"]
        )
    return None


def _statements_form(request: StaffRequest, item: AgendaItem, cell: ResultCell) -> StatementsForm:
    """The statements to go with the item; refused at once when the cell is hidden."""
    statements = StatementsForm(
        request.POST if request.method == "POST" else None,
        cell=cell,
        initial={
            "cell": cell.pk,
            "statements": item.statement_keys if item.results_key == cell.key else [],
        },
    )
    if not cell.is_shown:
        statements.add_error(
            None,
            _(
                "The unit's results in %(round)s are hidden because too few answered, so "
                "no figures can go with the item: they could show someone's answers."
            )
            % {"round": cell.result_set.round.name},
        )
    return statements


@require_POST
@staff_required(GATE)
def item_results_remove(request: StaffRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "councils.manage_meeting")
    item = selectors.item_get(meeting=meeting, pk=item_pk)
    attempt(
        request,
        lambda: services.agenda_item_detach_results(actor=request.user, item=item),
        _("The survey figures are taken off item %(number)s.") % {"number": item.label},
    )
    return redirect(f"{meeting.get_absolute_url()}#item-{item.pk}")


# --- notice, minutes, papers ----------------------------------------------------------


@require_POST
@staff_required(GATE)
def notice_send(request: StaffRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "councils.manage_meeting")
    attempt(
        request,
        lambda: services.meeting_send_notice(actor=request.user, meeting=meeting),
        _(
            "The notice is on its way to the members. This page shows whom it reached once "
            "it is sent."
        ),
    )
    return redirect(meeting)


@staff_required(GATE)
def minutes_edit(request: StaffRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "councils.manage_meeting")
    if meeting.state not in (Meeting.State.NOTICE_SENT, Meeting.State.HELD):
        messages.error(
            request,
            _("Minutes are written once the notice is sent, and not after they are approved.")
            if meeting.state != Meeting.State.CANCELLED
            else _("The meeting is cancelled."),
        )
        return redirect(meeting)
    members = selectors.recipients(meeting)
    items = list(meeting.items.order_by("number"))
    form = MinutesForm(request.POST or None, meeting=meeting, members=members, items=items)
    if request.method == "POST" and form.is_valid():
        saved = refused(
            form,
            lambda: services.meeting_record_minutes(
                actor=request.user,
                meeting=meeting,
                attendance=form.attendance(),
                items=form.item_texts(),
                outcome=form.cleaned_data["outcome"],
                participants=form.cleaned_data.get("participants"),
            ),
        )
        if saved is not None:
            messages.success(
                request,
                _("The minutes are saved. Approve them when the chair has read them."),
            )
            return redirect(saved)
    return render(
        request,
        "councils/minutes.html",
        {"meeting": meeting, "council": meeting.council, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
@staff_required(GATE)
def minutes_approve(request: StaffRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "councils.manage_meeting")
    attempt(
        request,
        lambda: services.meeting_approve_minutes(actor=request.user, meeting=meeting),
        _("The minutes are approved and locked, and on their way to the members."),
    )
    return redirect(meeting)


@require_POST
@staff_required(GATE)
def papers_resend(request: StaffRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "councils.manage_meeting")
    kind = request.POST.get("papers", "")
    if kind not in Delivery.Papers.values:
        raise Http404
    attempt(
        request,
        lambda: services.meeting_resend(
            actor=request.user,
            meeting=meeting,
            papers=kind,
            failed_only=request.POST.get("to") != "all",
        ),
        _(
            "The papers are on their way again. This page shows whom they reached once they "
            "are sent."
        ),
    )
    return redirect(f"{meeting.get_absolute_url()}#deliveries")


@staff_required(GATE)
def notice_pdf(request: StaffRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk)
    return pdf_response(
        papers.notice_pdf(meeting), papers.filename(meeting, Delivery.Papers.NOTICE)
    )


@staff_required(GATE)
def minutes_pdf(request: StaffRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk)
    if not meeting.was_held:
        raise Http404
    return pdf_response(
        papers.minutes_pdf(meeting), papers.filename(meeting, Delivery.Papers.MINUTES)
    )


# --- registrations --------------------------------------------------------------------


@staff_required(GATE)
def registrations(request: StaffRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "councils.manage_meeting")
    if not meeting.takes_registrations:
        raise Http404
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = refused(
            form,
            lambda: services.registration_add(
                actor=request.user, meeting=meeting, **form.cleaned_data
            ),
        )
        if saved is not None:
            messages.success(request, _("%(name)s is registered.") % {"name": saved.name})
            return redirect("councils:registrations", pk=meeting.pk)
    return render(
        request,
        "councils/registrations.html",
        {
            "meeting": meeting,
            "form": form,
            "registrations": list(meeting.registrations.all()),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
@staff_required(GATE)
def registration_update(request: StaffRequest, pk: int, registration_pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "councils.manage_meeting")
    registration = meeting.registrations.filter(pk=registration_pk).first()
    if not isinstance(registration, Registration):
        raise Http404
    action = request.POST.get("action", "")
    if action == "remove":
        attempt(
            request,
            lambda: services.registration_remove(actor=request.user, registration=registration),
            _("%(name)s's registration is removed.") % {"name": registration.name},
        )
    elif action in ("came", "absent"):
        attempt(
            request,
            lambda: services.registration_update(
                actor=request.user, registration=registration, attended=action == "came"
            ),
            _("Saved."),
        )
    else:
        raise Http404
    return redirect("councils:registrations", pk=meeting.pk)
