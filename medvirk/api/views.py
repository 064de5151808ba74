"""Staff pages of the API: its documentation, and the keys (system administrators only)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from medvirk.core.forms import attempt, form_page, refused
from medvirk.core.http import StaffRequest
from medvirk.organisation.decorators import staff_required

from . import docs, selectors, services
from .api import api
from .forms import ApiKeyForm
from .models import Scope
from .throttle import rate_per_minute


@staff_required("api.manage_keys")
def api_docs(request: StaffRequest) -> HttpResponse:
    schema = api.get_openapi_schema(path_prefix=reverse("api-v1:api-root"))
    return render(
        request,
        "api/docs.html",
        {
            "schema": schema,
            "operations": docs.operations(schema),
            "scopes": Scope.choices,
            "rate": rate_per_minute(),
            "schema_url": reverse("api-v1:openapi-json"),
        },
    )


@staff_required("api.manage_keys")
def keys(request: StaffRequest) -> HttpResponse:
    found = selectors.keys_of(municipality=request.municipality)
    return render(request, "api/keys.html", {"keys": found})


@staff_required("api.manage_keys")
def key_create(request: StaffRequest) -> HttpResponse:
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = refused(
            form,
            lambda: services.key_create(
                actor=request.user,
                municipality=request.municipality,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
            ),
        )
        if made is not None:
            key, plain = made
            # Shown on this answer only, never kept: no redirect, and no copy in any cache.
            response = render(request, "api/key_created.html", {"key": key, "plain": plain})
            response["Cache-Control"] = "no-store"
            return response
    return form_page(
        request,
        form,
        template="organisation/form_page.html",
        title=_("New API key"),
        back_url=reverse("api:keys"),
    )


@require_POST
@staff_required("api.manage_keys")
def key_revoke(request: StaffRequest, pk: int) -> HttpResponse:
    key = selectors.key_get(municipality=request.municipality, pk=pk)
    attempt(
        request,
        lambda: services.key_revoke(actor=request.user, key=key),
        _("The key %(name)s is revoked: it is refused from now on.") % {"name": key},
    )
    return redirect("api:keys")
