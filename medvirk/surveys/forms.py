"""Forms for answering a survey and for running rounds.

The answer pages render their radio groups by hand (templates/surveys/answer/), because
each statement's group needs a legend, a scale and a "don't know" kept apart; these forms
only check what comes back. Every value is checked against the questionnaire, so a
tampered or out-of-range value is refused with a message instead of being stored.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from medvirk.organisation import selectors as organisation_selectors
from medvirk.organisation.models import Municipality, ServiceType, Unit
from medvirk.organisation.rules import role_set

from . import selectors
from .models import Audience, Mode, Questionnaire, Round
from .questionnaire import DONT_KNOW, QuestionnaireSpec, Scale, Section, Statement

# --- answering -------------------------------------------------------------------------


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your code"),
        max_length=40,
        help_text=_(
            "The code is in the letter, e.g. 4K7M-Q2XD-9WRT. Small or capital letters both work."
        ),
        error_messages={"required": _("Type the code from your letter.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "code-input",
            }
        ),
    )


class StartForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Which language do you want to answer in?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a language.")},
    )
    on_behalf = forms.TypedChoiceField(
        label=_("Who is answering?"),
        choices=[
            ("no", _("I answer for myself")),
            (
                "yes",
                _("I am a relative answering on behalf of the person who receives the services"),
            ),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="no",
        error_messages={"required": _("Choose who is answering.")},
    )

    def __init__(self, *args: Any, spec: QuestionnaireSpec, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = dict(settings.LANGUAGES)
        self.fields["language"].choices = [  # type: ignore[attr-defined]
            (code, names[code]) for code in spec.languages if code in names
        ]
        if spec.audience != Audience.USERS:
            del self.fields["on_behalf"]


def statement_field(statement: Statement) -> str:
    return f"s-{statement.key}"


def importance_field(statement: Statement) -> str:
    return f"i-{statement.key}"


def text_field(key: str) -> str:
    return f"t-{key}"


def _choices(scale: Scale, language: str, labelled: bool) -> list[tuple[str, Any]]:
    """A scale's points as choices: the point and its label for a form drawn by Django, or
    just the point."""
    return [
        (str(p), f"{p} {label.get(language)}" if labelled else str(p))
        for p, label in zip(scale.values, scale.labels, strict=True)
    ]


class SectionForm(forms.Form):
    """One page of a questionnaire. ``strict=False`` (going back, saving for later) lets
    required statements stay empty, but still refuses values that are not on the scale."""

    def __init__(
        self,
        *args: Any,
        spec: QuestionnaireSpec,
        sections: tuple[Section, ...],
        strict: bool = True,
        language: str = "nb",
        labelled: bool = False,
        **kwargs: Any,
    ) -> None:
        """``labelled``: give fields and choices their words, for a form drawn by Django
        (paper entry); the answer pages draw their own and only need the values checked."""
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.sections = sections
        none: list[tuple[str, Any]] = [("", _("Not answered") if labelled else "")]
        scale = spec.scale
        scores = _choices(scale, language, labelled)
        if scale.dont_know is not None:
            scores.append((DONT_KNOW, scale.dont_know.get(language) if labelled else DONT_KNOW))
        importance = _choices(spec.importance, language, labelled) if spec.importance else []
        for section in sections:
            for statement in section.statements:
                self._add_statement(
                    statement, none + scores, none + importance, strict=strict, language=language
                )
            for free_text in section.free_texts:
                self.fields[text_field(free_text.key)] = forms.CharField(
                    label=free_text.label.get(language),
                    required=False,
                    strip=False,
                    widget=forms.Textarea(attrs={"rows": 5}),
                )

    def _add_statement(
        self,
        statement: Statement,
        scores: list[tuple[str, Any]],
        importance: list[tuple[str, Any]],
        *,
        strict: bool,
        language: str,
    ) -> None:
        """The statement's answer field, and its importance field if it asks for one."""
        number = {"number": statement.number}
        self.fields[statement_field(statement)] = forms.ChoiceField(
            label=f"{statement.number}. {statement.text.get(language)}",
            choices=scores,
            required=statement.required and strict,
            error_messages={
                "required": _("Statement %(number)s must be answered.") % number,
                "invalid_choice": _("Choose one of the answers for statement %(number)s.") % number,
            },
        )
        if statement.importance:
            self.fields[importance_field(statement)] = forms.ChoiceField(
                label=_("Importance of statement %(number)s") % number,
                choices=importance,
                required=False,
                error_messages={
                    "invalid_choice": _(
                        "Choose one of the answers for how important statement %(number)s is."
                    )
                    % number
                },
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for section in self.sections:
            for free_text in section.free_texts:
                name = text_field(free_text.key)
                text = (data.get(name) or "").strip()
                if len(text) > free_text.max_length:
                    self.add_error(
                        name,
                        ValidationError(
                            _(
                                "The text is %(length)s characters long; it can be at most "
                                "%(max)s. Shorten it by %(over)s characters."
                            ),
                            code="max_length",
                            params={
                                "length": len(text),
                                "max": free_text.max_length,
                                "over": len(text) - free_text.max_length,
                            },
                        ),
                    )
                else:
                    data[name] = text
        return data

    def scores(self) -> dict[int, str]:
        return {
            s.index: self.cleaned_data.get(statement_field(s), "")
            for section in self.sections
            for s in section.statements
        }

    def importance(self) -> dict[int, str]:
        return {
            s.index: self.cleaned_data.get(importance_field(s), "")
            for section in self.sections
            for s in section.statements
            if s.importance
        }

    def texts(self) -> dict[str, str]:
        return {
            f.key: self.cleaned_data.get(text_field(f.key), "")
            for section in self.sections
            for f in section.free_texts
        }


# --- running rounds --------------------------------------------------------------------


class QuestionnaireChoiceField(forms.ModelChoiceField[Questionnaire]):
    def label_from_instance(self, obj: Questionnaire) -> str:
        owner = _("built in") if obj.is_built_in else _("own")
        return f"{obj.spec.title} – v{obj.version} ({owner})"


class RoundForm(forms.ModelForm[Round]):
    units = forms.ModelMultipleChoiceField(
        label=_("Units"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The units whose users (and relatives) are invited."),
    )
    service_types = forms.ModelMultipleChoiceField(
        label=_("Services"),
        queryset=ServiceType.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave all unticked to cover every service of the chosen units."),
    )
    contact_name = forms.CharField(
        label=_("Contact person"),
        required=False,
        help_text=_("Printed in every unit's letters; you can set one per unit afterwards."),
    )
    contact_phone = forms.CharField(label=_("Contact phone"), required=False)
    contact_hours = forms.CharField(
        label=_("Contact hours"), required=False, help_text=_("E.g. weekdays 08.00–16.00.")
    )

    class Meta:
        model = Round
        fields = [
            "name",
            "service_area",
            "questionnaire",
            "relatives_questionnaire",
            "opens_at",
            "closes_at",
        ]
        field_classes = {
            "questionnaire": QuestionnaireChoiceField,
            "relatives_questionnaire": QuestionnaireChoiceField,
        }
        widgets = {
            "opens_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "closes_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }
        help_texts = {
            "opens_at": _("Norwegian time. Format: 17.10.2026 08:00."),
            "closes_at": _("Norwegian time. Format: 04.11.2026 23:59."),
        }

    def __init__(self, *args: Any, municipality: Municipality, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality
        # Only the service areas whose surveys the user runs, and their active units.
        roles = role_set(user, municipality.pk)
        areas = organisation_selectors.service_areas(municipality=municipality)
        if not roles.is_admin:
            areas = areas.filter(pk__in=roles.quality_adviser_areas)
        self.fields["service_area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["units"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            service_area__in=areas, is_active=True
        ).order_by("name")
        self.fields["service_types"].queryset = ServiceType.objects.filter(  # type: ignore[attr-defined]
            services__unit__service_area__municipality=municipality
        ).distinct()
        self.fields["service_types"].label_from_instance = lambda t: t.label  # type: ignore[attr-defined]
        self.fields["questionnaire"].queryset = Questionnaire.objects.filter(  # type: ignore[attr-defined]
            pk__in=[
                q.pk
                for q in selectors.questionnaires_latest(
                    municipality=municipality, audience=Audience.USERS
                )
            ]
        )
        self.fields["relatives_questionnaire"].queryset = Questionnaire.objects.filter(  # type: ignore[attr-defined]
            pk__in=[
                q.pk
                for q in selectors.questionnaires_latest(
                    municipality=municipality, audience=Audience.RELATIVES
                )
            ]
        )
        if self.instance.pk:
            self.fields["service_area"].disabled = True
            self.initial["units"] = list(self.instance.units.values_list("pk", flat=True))
            self.initial["service_types"] = list(
                self.instance.service_types.values_list("pk", flat=True)
            )
            for name in ("contact_name", "contact_phone", "contact_hours"):
                del self.fields[name]
            if self.instance.state != Round.State.DRAFT:
                for name in list(self.fields):
                    if name not in ("name", "closes_at"):
                        del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        area = data.get("service_area") or (
            self.instance.service_area if self.instance.service_area_id else None
        )
        units = data.get("units")
        if area is not None and units and any(u.service_area_id != area.pk for u in units):
            self.add_error("units", _("Choose units of the round's own service area."))
        return data


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Contact person"), max_length=150)
    phone = forms.CharField(label=_("Contact phone"), max_length=30)
    hours = forms.CharField(
        label=_("Contact hours"), max_length=150, help_text=_("E.g. weekdays 08.00–16.00.")
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Recipient list"),
        help_text=_(
            "CSV (semicolon or comma, UTF-8 or Windows-1252) or Excel (.xlsx), one row per "
            "recipient with a header row. See the column names in the guide."
        ),
        error_messages={"required": _("Choose the file to import.")},
    )
    skip_invalid = forms.BooleanField(
        label=_("Import only the valid rows"),
        required=False,
        help_text=_(
            "Without this, a file with any invalid row imports nothing, so you can correct "
            "the file and try again."
        ),
    )

    MAX_BYTES = 20 * 1024 * 1024

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise ValidationError(_("The file is larger than 20 MB. Split it into smaller files."))
        return upload


class PaperResponseForm(SectionForm):
    """A whole paper form or interview on one page, for quality advisers."""

    mode = forms.ChoiceField(
        label=_("How was the survey answered?"),
        choices=[(Mode.PAPER, Mode.PAPER.label), (Mode.INTERVIEW, Mode.INTERVIEW.label)],
        widget=forms.RadioSelect,
    )
    code = forms.CharField(
        label=_("Code on the form"),
        required=False,
        help_text=_(
            "If the form carries the respondent's code, type it: the code is then used up, and "
            "unit and service come from it."
        ),
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    service_type = forms.ModelChoiceField(
        label=_("Service"), queryset=ServiceType.objects.none(), required=False
    )
    on_behalf = forms.BooleanField(
        label=_("Answered by a relative on the user's behalf"), required=False
    )

    def __init__(self, *args: Any, round_: Round, spec: QuestionnaireSpec, **kwargs: Any) -> None:
        super().__init__(*args, spec=spec, sections=spec.sections, labelled=True, **kwargs)
        self.fields["unit"].queryset = round_.units.order_by("name")  # type: ignore[attr-defined]
        self.fields["service_type"].queryset = ServiceType.objects.filter(  # type: ignore[attr-defined]
            services__unit__in=round_.units.all()
        ).distinct()
        self.fields["service_type"].label_from_instance = lambda t: t.label  # type: ignore[attr-defined]
        # The staff fields first, then the questionnaire's.
        staff = ["mode", "code", "unit", "service_type", "on_behalf"]
        self.order_fields(staff)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("code", "").strip() and not data.get("unit"):
            self.add_error("unit", _("Choose the unit, or type the code from the form."))
        return data


class QuestionnaireTextsForm(forms.Form):
    """Every text of a questionnaire in one language, for editing its wording."""

    def __init__(self, *args: Any, spec: QuestionnaireSpec, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.paths: dict[str, str] = {}
        for index, (path, text) in enumerate(spec.text_fields()):
            name = f"text-{index}"
            self.paths[name] = path
            long = len(text.get(language)) > 80 or path.endswith(("intro", "thanks", "help"))
            self.fields[name] = forms.CharField(
                label=_text_label(spec, path),
                initial=text.values.get(language, ""),
                widget=forms.Textarea(attrs={"rows": 4}) if long else forms.TextInput(),
                error_messages={"required": _("Write a text here; it cannot be empty.")},
            )

    def texts(self) -> dict[str, str]:
        return {self.paths[name]: value for name, value in self.cleaned_data.items()}


def _text_label(spec: QuestionnaireSpec, path: str) -> str:
    parts = path.split(".")
    if parts[0] == "sections":
        section = spec.sections[int(parts[1])]
        if parts[2] == "statements":
            statement = section.statements[int(parts[3])]
            return str(_("Statement %(number)s") % {"number": statement.number})
        if parts[2] == "free_texts":
            which = _("label") if parts[4] == "label" else _("help text")
            return str(
                _("Free-text field %(n)s, %(which)s") % {"n": int(parts[3]) + 1, "which": which}
            )
        which = _("title") if parts[2] == "title" else _("introduction")
        return str(_("Section %(n)s, %(which)s") % {"n": int(parts[1]) + 1, "which": which})
    labels = {
        "title": _("Title"),
        "intro": _("Introduction"),
        "thanks": _("Thank-you text"),
        "scale.dont_know": _("Scale: don't know"),
        "importance.question": _("Importance question"),
    }
    if path in labels:
        return str(labels[path])
    scale, _labels, point = parts
    which = _("Scale") if scale == "scale" else _("Importance scale")
    return str(_("%(which)s, point %(point)s") % {"which": which, "point": int(point) + 1})
