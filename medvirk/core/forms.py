"""Forms render through one set of accessible templates (see templates/core/forms/).

Each field has a visible label, its help text and errors tied to it with
``aria-describedby``, and ``aria-invalid`` when it has an error; a form with errors opens
with a summary that links to each field, so keyboard and screen-reader users find them.
"""

from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
