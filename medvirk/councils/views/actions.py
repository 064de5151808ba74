"""The unit's improvement plan (tiltaksplan): its actions, and how their statements moved."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from medvirk.core.forms import form_page, refused
from medvirk.core.http import StaffRequest
from medvirk.organisation.decorators import staff_required

from .. import selectors, services
from ..forms import ActionForm
from ..models import AgendaItem, Council, ImprovementAction
from ._common import FORM_PAGE, council_for


@staff_required("councils.use")
def actions(request: StaffRequest, pk: int) -> HttpResponse:
    council = council_for(request, pk)
    found = list(selectors.actions_of(council))
    return render(
        request,
        "councils/actions.html",
        {
            "council": council,
            "rows": [(action, selectors.action_movement(action)) for action in found],
            "can_manage": request.user.has_perm("councils.manage_council", council),
        },
    )


def _form(request: StaffRequest, council: Council, action: ImprovementAction | None) -> ActionForm:
    return ActionForm(
        request.POST or None,
        instance=action,
        statement_choices=selectors.statement_choices(council),
        rounds=selectors.rounds_for_actions(council),
        items=AgendaItem.objects.filter(council=council, kind=AgendaItem.Kind.ITEM).order_by(
            "-year", "-number"
        ),
    )


@staff_required("councils.use")
def action_create(request: StaffRequest, pk: int) -> HttpResponse:
    council = council_for(request, pk, "councils.manage_council")
    form = _form(request, council, None)
    if request.method == "POST" and form.is_valid():
        saved = refused(
            form,
            lambda: services.action_create(
                actor=request.user, council=council, data=form.action_data()
            ),
        )
        if saved is not None:
            messages.success(request, _("The action is in the improvement plan."))
            return redirect("councils:actions", pk=council.pk)
    return form_page(
        request,
        form,
        template=FORM_PAGE,
        title=_("New improvement action for %(unit)s") % {"unit": council.unit.name},
        back_url=_plan_url(council),
        lead=_(
            "Tie the action to the survey statements it should move, or to what users and "
            "relatives have said. At the next survey, the plan shows how the statements moved."
        ),
    )


@staff_required("councils.use")
def action_edit(request: StaffRequest, pk: int, action_pk: int) -> HttpResponse:
    council = council_for(request, pk, "councils.manage_council")
    action = selectors.action_get(council=council, pk=action_pk)
    form = _form(request, council, action)
    if request.method == "POST" and form.is_valid():
        saved = refused(
            form,
            lambda: services.action_update(
                actor=request.user, action=action, data=form.action_data()
            ),
        )
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect("councils:actions", pk=council.pk)
    return form_page(
        request,
        form,
        template=FORM_PAGE,
        title=_("Edit %(action)s") % {"action": action.title},
        back_url=_plan_url(council),
    )


def _plan_url(council: Council) -> str:
    from django.urls import reverse

    return reverse("councils:actions", args=[council.pk])
