"""Forms render through one set of accessible templates (see templates/core/forms/).

Each field has a visible label, its help text and errors tied to it with
``aria-describedby``, and ``aria-invalid`` when it has an error; a form with errors opens
with a summary that links to each field, so keyboard and screen-reader users find them.
"""

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates

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
