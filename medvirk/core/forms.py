"""Forms render through one set of accessible templates (see templates/core/forms/).

Each field has a visible label, its help text and errors tied to it with
``aria-describedby``, and ``aria-invalid`` when it has an error; a form with errors opens
with a summary that links to each field, so keyboard and screen-reader users find them.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

T = TypeVar("T")


class FormRenderer(DjangoTemplates):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


def refused(form: forms.BaseForm, action: Callable[[], T]) -> T | None:
    """Run a service; a refusal becomes the form's error (on its field where it has one) and
    None is returned, so the view shows the form again with what was typed."""
    try:
        return action()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return None


def attempt(request: HttpRequest, action: Callable[[], Any], done: str) -> bool:
    """Run a service from a button; its refusal (or ``done``) becomes the page's message.
    Whether it went through is returned, for a view that goes elsewhere when it did not."""
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(request, done)
    return True


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    template: str,
    title: str,
    back_url: str,
    **extra: Any,
) -> HttpResponse:
    """A page with one form, its title and a way back; a posted form that was refused
    answers 400, so nothing that reads the status takes it for a saved one."""
    return render(
        request,
        template,
        {"form": form, "title": title, "back_url": back_url, **extra},
        status=400 if form.is_bound and form.errors else 200,
    )
