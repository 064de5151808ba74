"""Forms for results: screening one comment."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("The comment as it will be shown"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Personal data Medvirk found is replaced by [removed]. Change the text if more "
            "must go, then choose “Approve as edited”. “Approve” shows the comment as written."
        ),
    )
