"""Staff pages of the councils: the list, one council with its members and plans, the
members' terms, the year's meeting plans, the dialogue meetings and the settings."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from medvirk.core.forms import form_page, refused
from medvirk.core.http import StaffRequest
from medvirk.organisation.decorators import staff_required
from medvirk.organisation.models import Unit

from .. import selectors, services
from ..forms import CouncilSettingsForm, EndTermForm, MeetingForm, MembershipForm, PlanForm
from ..models import Meeting, MeetingPlan
from ._common import FORM_PAGE, council_for


@staff_required("councils.use")
def index(request: StaffRequest) -> HttpResponse:
    municipality = request.municipality
    settings = selectors.settings_for(municipality)
    today = timezone.localdate()
    rows = [
        (council, selectors.council_status(council, settings=settings, day=today))
        for council in selectors.councils_visible(user=request.user, municipality=municipality)
    ]
    missing = list(selectors.units_without_council(user=request.user, municipality=municipality))
    areas = {council.unit.service_area for council, _status in rows}
    return render(
        request,
        "councils/index.html",
        {
            "rows": rows,
            "missing": missing,
            "areas": sorted(areas, key=lambda a: a.code),
            "year": today.year,
            "can_create": request.user.has_perm("councils.create_councils", municipality),
            "can_settings": request.user.has_perm("councils.manage_settings", municipality),
            "can_area_report": [
                a for a in areas if request.user.has_perm("councils.view_area_report", a)
            ],
        },
    )


@staff_required("councils.view_dialogue")
def dialogue(request: StaffRequest) -> HttpResponse:
    meetings = selectors.dialogue_meetings(user=request.user, municipality=request.municipality)
    return render(request, "councils/dialogue.html", {"meetings": meetings})


@staff_required("councils.manage_settings")
def settings_edit(request: StaffRequest) -> HttpResponse:
    municipality = request.municipality
    current = selectors.settings_for(municipality)
    form = CouncilSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        saved = refused(
            form,
            lambda: services.council_settings_update(
                actor=request.user, municipality=municipality, data=form.cleaned_data
            ),
        )
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect("councils:index")
    return form_page(
        request,
        form,
        template=FORM_PAGE,
        title=_("User council settings"),
        back_url=reverse("councils:index"),
        lead=_(
            "The rules every council of the municipality works by. The limits are checked when "
            "members and meetings are added; plans and councils that break them after a "
            "change are marked."
        ),
    )


@require_POST
@staff_required("councils.create_councils")
def council_create(request: StaffRequest) -> HttpResponse:
    """Create the council of one unit (``unit``), or of every unit without one."""
    missing = selectors.units_without_council(user=request.user, municipality=request.municipality)
    wanted = request.POST.get("unit", "")
    units: list[Unit]
    if wanted == "all":
        units = list(missing)
    else:
        try:
            units = [missing.get(pk=int(wanted))]
        except (ValueError, Unit.DoesNotExist):
            raise Http404 from None
    made = services.councils_create_missing(actor=request.user, units=units)
    messages.success(
        request,
        ngettext("%(n)s council created.", "%(n)s councils created.", len(made)) % {"n": len(made)},
    )
    if len(made) == 1:
        return redirect(made[0])
    return redirect("councils:index")


@staff_required("councils.use")
def council_detail(request: StaffRequest, pk: int) -> HttpResponse:
    council = council_for(request, pk)
    settings = selectors.settings_for(request.municipality)
    today = timezone.localdate()
    plans = list(council.plans.prefetch_related("meetings").order_by("-year"))
    actions = list(selectors.actions_of(council))
    years = sorted({plan.year for plan in plans} | {today.year}, reverse=True)
    return render(
        request,
        "councils/council.html",
        {
            "council": council,
            "settings": settings,
            "status": selectors.council_status(council, settings=settings, day=today),
            "coming": selectors.members_coming(council, today),
            "past": selectors.members_past(council, today),
            "plans": [
                (
                    plan,
                    selectors.plan_meetings(plan),
                    selectors.plan_warnings(plan, settings=settings),
                )
                for plan in plans
            ],
            "has_plan_this_year": any(plan.year == today.year for plan in plans),
            "plan_form": PlanForm(
                initial={"year": today.year if not plans else max(p.year for p in plans) + 1}
            ),
            "actions_open": sum(1 for a in actions if a.status in ("planned", "in_progress")),
            "actions_done": sum(1 for a in actions if a.status == "done"),
            "results": selectors.unit_results(user=request.user, council=council),
            "years": years,
            "can_manage": request.user.has_perm("councils.manage_council", council),
        },
    )


@staff_required("councils.use")
def member_create(request: StaffRequest, pk: int) -> HttpResponse:
    council = council_for(request, pk, "councils.manage_council")
    form = MembershipForm(
        request.POST or None,
        council=council,
        initial={
            "starts_on": timezone.localdate(),
            "filled_by": "election",
            "role": "representative",
        },
    )
    if request.method == "POST" and form.is_valid():
        saved = refused(
            form,
            lambda: services.membership_add(
                actor=request.user, council=council, data=form.cleaned_data
            ),
        )
        if saved is not None:
            messages.success(request, _("%(name)s is added to the council.") % {"name": saved.name})
            return redirect(council)
    return form_page(
        request,
        form,
        template=FORM_PAGE,
        title=_("New member of %(council)s") % {"council": council},
        back_url=council.get_absolute_url(),
        lead=_(
            "Up to %(max)s user representatives, the chair included, elected for %(years)s "
            "years at an election meeting (allmøte). The unit manager (the secretary) and "
            "employees from user-facing work attend too, and a politician can be the unit's "
            "ombudsperson."
        )
        % {
            "max": selectors.settings_for(request.municipality).max_representatives,
            "years": selectors.settings_for(request.municipality).term_years,
        },
    )


@staff_required("councils.use")
def member_edit(request: StaffRequest, pk: int, member_pk: int) -> HttpResponse:
    council = council_for(request, pk, "councils.manage_council")
    membership = selectors.membership_get(council=council, pk=member_pk)
    form = MembershipForm(request.POST or None, instance=membership, council=council)
    if request.method == "POST" and form.is_valid():
        saved = refused(
            form,
            lambda: services.membership_update(
                actor=request.user, membership=membership, data=form.cleaned_data
            ),
        )
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect(council)
    return form_page(
        request,
        form,
        template=FORM_PAGE,
        title=_("Edit %(name)s") % {"name": membership.name},
        back_url=council.get_absolute_url(),
        end_url=reverse("councils:member_end", args=[council.pk, membership.pk]),
    )


@staff_required("councils.use")
def member_end(request: StaffRequest, pk: int, member_pk: int) -> HttpResponse:
    council = council_for(request, pk, "councils.manage_council")
    membership = selectors.membership_get(council=council, pk=member_pk)
    form = EndTermForm(request.POST or None, initial={"ends_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        saved = refused(
            form,
            lambda: services.membership_end(
                actor=request.user, membership=membership, ends_on=form.cleaned_data["ends_on"]
            ),
        )
        if saved is not None:
            messages.success(
                request, _("%(name)s's term ends on the day given.") % {"name": saved.name}
            )
            return redirect(council)
    return form_page(
        request,
        form,
        template=FORM_PAGE,
        title=_("End the term of %(name)s") % {"name": membership.name},
        back_url=council.get_absolute_url(),
        lead=_("The member stays in the council's history with the dates of the term."),
    )


@staff_required("councils.use")
def plan_create(request: StaffRequest, pk: int) -> HttpResponse:
    council = council_for(request, pk, "councils.manage_council")
    form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        saved = refused(
            form,
            lambda: services.meeting_plan_create(
                actor=request.user,
                council=council,
                year=form.cleaned_data["year"],
                note=form.cleaned_data["note"],
            ),
        )
        if saved is not None:
            messages.success(request, _("The plan is made. Add its meetings."))
            return redirect(saved)
    return form_page(
        request,
        form,
        template=FORM_PAGE,
        title=_("New meeting plan"),
        back_url=council.get_absolute_url(),
    )


@staff_required("councils.use")
def plan_detail(request: StaffRequest, pk: int, year: int) -> HttpResponse:
    council = council_for(request, pk)
    plan = selectors.plan_get(council=council, year=year)
    settings = selectors.settings_for(request.municipality)
    meetings = selectors.plan_meetings(plan)
    return render(
        request,
        "councils/plan.html",
        {
            "council": council,
            "plan": plan,
            "meetings": meetings,
            "counted": len(selectors.counted(meetings)),
            "settings": settings,
            "warnings": selectors.plan_warnings(plan, settings=settings),
            "can_manage": request.user.has_perm("councils.manage_council", council),
        },
    )


@staff_required("councils.use")
def meeting_create(request: StaffRequest, pk: int, year: int) -> HttpResponse:
    council = council_for(request, pk, "councils.manage_council")
    plan: MeetingPlan = selectors.plan_get(council=council, year=year)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = refused(
            form,
            lambda: services.meeting_create(
                actor=request.user,
                plan=plan,
                kind=form.cleaned_data["kind"],
                starts_at=form.starts_at(),
                place=form.cleaned_data["place"],
                title=form.cleaned_data["title"],
            ),
        )
        if saved is not None:
            messages.success(request, _("The meeting is planned. Add the items of its agenda."))
            return redirect(saved)
    return form_page(
        request,
        form,
        template=FORM_PAGE,
        title=_("New meeting in the %(year)s plan") % {"year": plan.year},
        back_url=plan.get_absolute_url(),
        lead=_(
            "Up to %(max)s council meetings, open assemblies and dialogue meetings a year; "
            "election meetings and neighbourhood conferences come in addition."
        )
        % {"max": selectors.settings_for(request.municipality).max_meetings},
        kinds_help=Meeting.Kind,
    )
