"""What the council pages share: finding what the user may see, and turning a service's
refusal into a message or a form error that loses nothing typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from medvirk.core.http import StaffRequest

from .. import selectors
from ..models import Council, Meeting


def council_for(
    request: StaffRequest, pk: int, permission: str = "councils.view_council"
) -> Council:
    """A council the user may read (others are not found), refused without ``permission``."""
    council = selectors.council_get(user=request.user, municipality=request.municipality, pk=pk)
    if not request.user.has_perm(permission, council):
        raise PermissionDenied
    return council


def meeting_for(
    request: StaffRequest, pk: int, permission: str = "councils.view_meeting"
) -> Meeting:
    meeting = selectors.meeting_get(user=request.user, municipality=request.municipality, pk=pk)
    if not request.user.has_perm(permission, meeting):
        raise PermissionDenied
    return meeting


def form_page(
    request: StaffRequest,
    form: forms.BaseForm,
    *,
    title: str,
    back_url: str,
    template: str = "councils/form_page.html",
    **extra: Any,
) -> HttpResponse:
    return render(
        request,
        template,
        {"form": form, "title": title, "back_url": back_url, **extra},
        status=400 if form.is_bound and form.errors else 200,
    )


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
