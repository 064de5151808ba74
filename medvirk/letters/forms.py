"""Forms for letters: a letter's text, what to print, and finding a lost letter's recipient."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from medvirk.organisation.models import Unit
from medvirk.surveys.models import Round

from .models import LetterKind, LetterText


class LetterTextForm(forms.ModelForm[LetterText]):
    class Meta:
        model = LetterText
        fields = ["title", "body", "closing", "signature_name", "signature_title"]
        widgets = {
            "title": forms.TextInput(),
            "body": forms.Textarea(attrs={"rows": 24, "spellcheck": "true"}),
        }
        help_texts = {
            "body": _(
                "A blank line starts a new paragraph; lines starting with “- ” make a list. "
                "Put {qr} on a line of its own where the box with the QR code and the personal "
                "code goes. The placeholders below are filled in for each recipient."
            ),
            "signature_name": _("E.g. the director of health and care."),
        }


class PrintForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Which letters?"),
        choices=[
            (LetterKind.INVITATION, _("Invitations, to every recipient")),
            (LetterKind.REMINDER, _("Reminders, only to those who have not answered")),
        ],
        initial=LetterKind.INVITATION,
        widget=forms.RadioSelect,
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to print for every unit of the round."),
    )
    batch_size = forms.IntegerField(
        label=_("Letters per file"),
        required=False,
        min_value=1,
        max_value=100_000,
        help_text=_(
            "Leave empty for one PDF. With a number, you get numbered files of that many "
            "letters in a ZIP file, with a list for the print shop."
        ),
    )

    def __init__(self, *args: Any, round_: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = round_.units.order_by("name")  # type: ignore[attr-defined]


class ReissueSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or postal code"),
        min_length=2,
        max_length=100,
        help_text=_("At least two letters of the name, or the postal code."),
    )
