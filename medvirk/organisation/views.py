"""Staff pages for the organisation: structure, units, service types, users and roles,
municipality settings, and the audit log. Thin: check, call a service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import user_has_device

from medvirk.core.forms import form_page, refused
from medvirk.core.http import StaffRequest

from . import selectors, services, signin
from .audit import action_label, change_rows
from .decorators import staff_required
from .forms import (
    AuditFilterForm,
    DistrictForm,
    MunicipalitySettingsForm,
    RoleAssignForm,
    ServiceAddForm,
    ServiceAreaForm,
    ServiceTypeForm,
    SetPasswordForm,
    UnitContactForm,
    UnitForm,
    UserCreateForm,
    UserUpdateForm,
    target_type_label,
)
from .models import RoleAssignment, ServiceType, Unit

AUDIT_PAGE_SIZE = 50


def _save(form: forms.BaseForm, action: Callable[[dict[str, Any]], Any]) -> Any | None:
    """Run a service with a valid form's data; a refusal becomes the form's error.

    Returns what the service returned, or None when the form or the service refused.
    """
    if not form.is_valid():
        return None
    return refused(form, lambda: action(form.cleaned_data))


def _edit_page(
    request: StaffRequest,
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    back_url: str,
    success: Callable[[Any], str],
) -> HttpResponse:
    """What every create and edit view here does: save, say so, and go on."""
    if request.method == "POST":
        result = _save(form, action)
        if result is not None:
            messages.success(request, _("Saved."))
            return redirect(success(result))
    return form_page(
        request,
        form,
        template="organisation/form_page.html",
        title=title,
        back_url=resolve_url(back_url),
    )


# --- structure -------------------------------------------------------------------------


@staff_required("organisation.view_structure")
def structure(request: StaffRequest) -> HttpResponse:
    municipality = request.municipality
    return render(
        request,
        "organisation/structure.html",
        {
            "tree": selectors.organisation_tree(user=request.user, municipality=municipality),
            "can_manage": request.user.has_perm("organisation.manage_structure", municipality),
        },
    )


@staff_required("organisation.manage_structure")
def municipality_settings(request: StaffRequest) -> HttpResponse:
    municipality = request.municipality
    form = MunicipalitySettingsForm(
        request.POST or None, request.FILES or None, instance=municipality
    )
    return _edit_page(
        request,
        form,
        lambda data: services.municipality_update(
            actor=request.user, municipality=municipality, data=data
        ),
        title=_("Municipality settings"),
        back_url="organisation:structure",
        success=lambda _m: "organisation:structure",
    )


@staff_required("organisation.manage_structure")
def service_area_edit(request: StaffRequest, pk: int | None = None) -> HttpResponse:
    municipality = request.municipality
    area = (
        get_object_or_404(selectors.service_areas(municipality=municipality), pk=pk) if pk else None
    )
    form = ServiceAreaForm(request.POST or None, instance=area, municipality=municipality)

    def save(data: dict[str, Any]) -> Any:
        if area is None:
            return services.service_area_create(
                actor=request.user, municipality=municipality, **data
            )
        return services.service_area_update(actor=request.user, service_area=area, data=data)

    return _edit_page(
        request,
        form,
        save,
        title=_("New service area") if area is None else _("Edit service area"),
        back_url="organisation:structure",
        success=lambda _a: "organisation:structure",
    )


@staff_required("organisation.manage_structure")
def district_edit(request: StaffRequest, pk: int | None = None) -> HttpResponse:
    municipality = request.municipality
    district = (
        get_object_or_404(selectors.districts(municipality=municipality), pk=pk) if pk else None
    )
    form = DistrictForm(request.POST or None, instance=district, municipality=municipality)

    def save(data: dict[str, Any]) -> Any:
        if district is None:
            return services.district_create(actor=request.user, **data)
        data.pop("service_area")
        return services.district_update(actor=request.user, district=district, data=data)

    return _edit_page(
        request,
        form,
        save,
        title=_("New district") if district is None else _("Edit district"),
        back_url="organisation:structure",
        success=lambda _d: "organisation:structure",
    )


# --- units -----------------------------------------------------------------------------


def _unit_page(
    request: StaffRequest, unit: Unit, add_form: ServiceAddForm | None = None
) -> HttpResponse:
    can_change = request.user.has_perm("organisation.change_unit", unit)
    if can_change and add_form is None:
        add_form = ServiceAddForm(unit=unit, municipality=request.municipality)
    return render(
        request,
        "organisation/unit_detail.html",
        {
            "unit": unit,
            "services": unit.services.select_related("service_type").order_by("service_type__name"),
            "people": selectors.role_assignments_of_unit(unit=unit),
            "can_change": can_change,
            "can_restructure": request.user.has_perm("organisation.restructure_unit", unit),
            "add_form": add_form if can_change else None,
        },
        status=400 if add_form is not None and add_form.errors else 200,
    )


def _changeable_unit(request: StaffRequest, pk: int) -> Unit:
    """A unit the user may change: another unit's id is not found, a visible one refused."""
    unit = selectors.unit_get_visible(user=request.user, municipality=request.municipality, pk=pk)
    if not request.user.has_perm("organisation.change_unit", unit):
        raise PermissionDenied
    return unit


@staff_required("organisation.view_structure")
def unit_detail(request: StaffRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_get_visible(user=request.user, municipality=request.municipality, pk=pk)
    return _unit_page(request, unit)


@staff_required("organisation.manage_structure")
def unit_create(request: StaffRequest) -> HttpResponse:
    municipality = request.municipality
    form = UnitForm(request.POST or None, municipality=municipality)

    def save(data: dict[str, Any]) -> Unit:
        area = data.pop("service_area")
        return services.unit_create(actor=request.user, service_area=area, data=data)

    return _edit_page(
        request,
        form,
        save,
        title=_("New unit"),
        back_url="organisation:structure",
        success=lambda unit: unit.get_absolute_url(),
    )


@staff_required("organisation.view_structure")
def unit_edit(request: StaffRequest, pk: int) -> HttpResponse:
    municipality = request.municipality
    unit = _changeable_unit(request, pk)
    form_class = (
        UnitForm
        if request.user.has_perm("organisation.restructure_unit", unit)
        else UnitContactForm
    )
    form = form_class(request.POST or None, instance=unit, municipality=municipality)

    def save(data: dict[str, Any]) -> Unit:
        data.pop("service_area", None)
        return services.unit_update(actor=request.user, unit=unit, data=data)

    return _edit_page(
        request,
        form,
        save,
        title=_("Edit %(unit)s") % {"unit": unit.name},
        back_url=unit.get_absolute_url(),
        success=lambda unit: unit.get_absolute_url(),
    )


@require_POST
@staff_required("organisation.view_structure")
def unit_service_add(request: StaffRequest, pk: int) -> HttpResponse:
    unit = _changeable_unit(request, pk)
    form = ServiceAddForm(request.POST, unit=unit, municipality=request.municipality)
    added = _save(
        form,
        lambda data: services.unit_service_add(
            actor=request.user, unit=unit, service_type=data["service_type"]
        ),
    )
    if added is None:
        return _unit_page(request, unit, add_form=form)
    messages.success(
        request, _("Service added: %(service)s") % {"service": added.service_type.label}
    )
    return redirect(unit)


@require_POST
@staff_required("organisation.view_structure")
def unit_service_remove(request: StaffRequest, pk: int, service_pk: int) -> HttpResponse:
    unit = _changeable_unit(request, pk)
    service = get_object_or_404(unit.services.select_related("service_type"), pk=service_pk)
    services.unit_service_remove(actor=request.user, service=service)
    messages.success(
        request, _("Service removed: %(service)s") % {"service": service.service_type.label}
    )
    return redirect(unit)


# --- service types ---------------------------------------------------------------------


@staff_required("organisation.view_structure")
def service_types(request: StaffRequest) -> HttpResponse:
    municipality = request.municipality
    types = sorted(
        selectors.service_types_available(municipality=municipality), key=lambda t: t.label
    )
    return render(
        request,
        "organisation/service_types.html",
        {
            "service_types": types,
            "can_manage": request.user.has_perm("organisation.manage_structure", municipality),
        },
    )


@staff_required("organisation.manage_structure")
def service_type_edit(request: StaffRequest, pk: int | None = None) -> HttpResponse:
    municipality = request.municipality
    service_type = (
        get_object_or_404(ServiceType.objects.filter(municipality=municipality), pk=pk)
        if pk
        else None
    )
    form = ServiceTypeForm(request.POST or None, instance=service_type, municipality=municipality)

    def save(data: dict[str, Any]) -> ServiceType:
        if service_type is None:
            return services.service_type_create(
                actor=request.user, municipality=municipality, **data
            )
        return services.service_type_update(
            actor=request.user, service_type=service_type, data=data
        )

    return _edit_page(
        request,
        form,
        save,
        title=_("New service type") if service_type is None else _("Edit service type"),
        back_url="organisation:service_types",
        success=lambda _t: "organisation:service_types",
    )


# --- users and roles -------------------------------------------------------------------


@staff_required("organisation.manage_users")
def users(request: StaffRequest) -> HttpResponse:
    municipality = request.municipality
    people = selectors.staff_users(municipality=municipality)
    return render(request, "organisation/users.html", {"people": people})


@staff_required("organisation.manage_users")
def user_create(request: StaffRequest) -> HttpResponse:
    """A new user gets their first role in the same step: nobody is left without one."""
    municipality = request.municipality
    form = UserCreateForm(request.POST or None, municipality=municipality)
    return _edit_page(
        request,
        form,
        lambda data: services.user_create(actor=request.user, municipality=municipality, **data),
        title=_("New user"),
        back_url="organisation:users",
        success=lambda user: reverse("organisation:user_detail", args=[user.pk]),
    )


def _user_page(
    request: StaffRequest,
    pk: int,
    *,
    update_form: UserUpdateForm | None = None,
    password_form: SetPasswordForm | None = None,
    role_form: RoleAssignForm | None = None,
) -> HttpResponse:
    municipality = request.municipality
    person = selectors.staff_user_get(municipality=municipality, pk=pk)
    bound = [f for f in (update_form, password_form, role_form) if f is not None]
    return render(
        request,
        "organisation/user_detail.html",
        {
            "person": person,
            "assignments": selectors.role_assignments_of(user=person, municipality=municipality),
            "update_form": update_form or UserUpdateForm(instance=person),
            "password_form": password_form or SetPasswordForm(user=person),
            "role_form": role_form or RoleAssignForm(municipality=municipality),
            "two_factor": user_has_device(person),
            "signin_failures": signin.account_failures(person.get_username()),
            "signin_locked_until": signin.locked_until(person.get_username()),
        },
        status=400 if any(f.errors for f in bound) else 200,
    )


@staff_required("organisation.manage_users")
def user_detail(request: StaffRequest, pk: int) -> HttpResponse:
    return _user_page(request, pk)


@require_POST
@staff_required("organisation.manage_users")
def user_update(request: StaffRequest, pk: int) -> HttpResponse:
    municipality = request.municipality
    person = selectors.staff_user_get(municipality=municipality, pk=pk)
    form = UserUpdateForm(request.POST, instance=person)
    if person.pk == request.user.pk and not request.POST.get("is_active"):
        form.is_valid()
        form.add_error("is_active", _("You cannot deactivate your own account."))
    saved = (
        None
        if form.errors
        else _save(
            form,
            lambda data: services.user_update(
                actor=request.user, municipality=municipality, user=person, data=data
            ),
        )
    )
    if saved is None:
        return _user_page(request, pk, update_form=form)
    messages.success(request, _("Saved."))
    return redirect("organisation:user_detail", pk=pk)


@require_POST
@staff_required("organisation.manage_users")
def user_set_password(request: StaffRequest, pk: int) -> HttpResponse:
    municipality = request.municipality
    person = selectors.staff_user_get(municipality=municipality, pk=pk)
    form = SetPasswordForm(request.POST, user=person)
    saved = _save(
        form,
        lambda data: services.user_set_password(
            actor=request.user, municipality=municipality, user=person, password=data["password"]
        ),
    )
    if saved is None:
        return _user_page(request, pk, password_form=form)
    messages.success(request, _("The password is set."))
    return redirect("organisation:user_detail", pk=pk)


@require_POST
@staff_required("organisation.manage_users")
def role_assign(request: StaffRequest, pk: int) -> HttpResponse:
    municipality = request.municipality
    person = selectors.staff_user_get(municipality=municipality, pk=pk)
    form = RoleAssignForm(request.POST, municipality=municipality)
    saved = _save(
        form,
        lambda data: services.role_assign(
            actor=request.user, municipality=municipality, user=person, **data
        ),
    )
    if saved is None:
        return _user_page(request, pk, role_form=form)
    messages.success(request, _("Role assigned: %(role)s") % {"role": saved})
    return redirect("organisation:user_detail", pk=pk)


@require_POST
@staff_required("organisation.manage_users")
def role_revoke(request: StaffRequest, pk: int, assignment_pk: int) -> HttpResponse:
    municipality = request.municipality
    assignment = get_object_or_404(
        RoleAssignment.objects.filter(municipality=municipality, user_id=pk), pk=assignment_pk
    )
    try:
        services.role_revoke(actor=request.user, assignment=assignment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("organisation:user_detail", pk=pk)
    messages.success(request, _("Role removed: %(role)s") % {"role": assignment})
    return redirect("organisation:user_detail", pk=pk)


@require_POST
@staff_required("organisation.manage_users")
def user_two_factor_reset(request: StaffRequest, pk: int) -> HttpResponse:
    """A lost phone: remove the person's authenticator app and backup codes."""
    municipality = request.municipality
    person = selectors.staff_user_get(municipality=municipality, pk=pk)
    services.user_two_factor_reset(actor=request.user, municipality=municipality, user=person)
    messages.success(
        request,
        _(
            "Two-factor sign-in is removed for %(name)s. They set it up again at their next "
            "sign-in if their role requires it."
        )
        % {"name": person},
    )
    return redirect("organisation:user_detail", pk=pk)


@require_POST
@staff_required("organisation.manage_users")
def user_signin_unlock(request: StaffRequest, pk: int) -> HttpResponse:
    """Forget the wrong passwords counted against the person's account."""
    municipality = request.municipality
    person = selectors.staff_user_get(municipality=municipality, pk=pk)
    services.user_signin_unlock(actor=request.user, municipality=municipality, user=person)
    messages.success(request, _("%(name)s can sign in again.") % {"name": person})
    return redirect("organisation:user_detail", pk=pk)


# --- audit log -------------------------------------------------------------------------


@staff_required("organisation.view_audit_log")
def audit_log(request: StaffRequest) -> HttpResponse:
    municipality = request.municipality
    form = AuditFilterForm(
        request.GET or None, facets=selectors.audit_facets(municipality=municipality)
    )
    filters = selectors.AuditFilter()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.AuditFilter(
            actor=data["actor"],
            action=data["action"],
            target_type=data["target_type"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
    entries = selectors.audit_entries(municipality=municipality, filters=filters)
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page.object_list:
        entry.action_label = action_label(entry.action)
        entry.target_type_label = target_type_label(entry.target_type)
        entry.change_rows = change_rows(entry.target_type, entry.changes)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "organisation/audit_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=400 if form.is_bound and form.errors else 200,
    )
