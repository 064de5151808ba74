"""Forms for the council pages. They only parse and check input; the services decide.

Dates are typed the Norwegian way (22.11.2026) and times as 18:00, in plain text fields
with the format in the help text: they work the same with every browser, keyboard and
screen reader, and without JavaScript.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from medvirk.organisation.models import Role, User
from medvirk.results.models import ResultCell
from medvirk.surveys.models import Audience, Round

from . import selectors, services, terms
from .models import (
    AgendaItem,
    Attendance,
    Council,
    CouncilSettings,
    ImprovementAction,
    Meeting,
    Membership,
)

DATE_HELP = _("Format: 22.11.2026.")


class DateField(forms.DateField):
    widget = forms.DateInput(format="%d.%m.%Y", attrs={"autocomplete": "off"})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", DATE_HELP)
        kwargs.setdefault(
            "error_messages", {"invalid": _("Write the date as day.month.year, e.g. 22.11.2026.")}
        )
        super().__init__(**kwargs)


class CouncilSettingsForm(forms.ModelForm[CouncilSettings]):
    class Meta:
        model = CouncilSettings
        fields = list(services.SETTINGS_FIELDS)
        widgets = {
            "themes": forms.Textarea(attrs={"rows": 8}),
            "rules": forms.Textarea(attrs={"rows": 24}),
        }


class MembershipForm(forms.ModelForm[Membership]):
    starts_on = DateField(label=_("Term starts"))
    ends_on = DateField(
        label=_("Term ends"),
        required=False,
        help_text=_(
            "The last day, e.g. 31.12.2027. Leave empty for a representative to get a full term "
            "from the start; for the secretary and employees, empty means until ended."
        ),
    )
    training_on = DateField(
        label=_("Training given"),
        required=False,
        help_text=_("When the person was trained in the role. Format: 22.11.2026."),
    )
    public_consent_on = DateField(
        label=_("Consent given"),
        required=False,
        help_text=_("The day the person agreed. Empty: today, when consent is ticked."),
    )

    class Meta:
        model = Membership
        fields = [
            "name",
            "role",
            "represents",
            "organisation_name",
            "filled_by",
            "starts_on",
            "ends_on",
            "training_on",
            "email",
            "phone",
            "public_consent",
            "public_consent_on",
            "user",
        ]
        widgets = {
            "role": forms.RadioSelect,
            "represents": forms.RadioSelect,
            "filled_by": forms.RadioSelect,
        }

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = council.unit
        municipality = unit.service_area.municipality
        # The unit's own people (its manager, staff, council members) and the politicians
        # who can be its ombudspersons.
        people = User.objects.filter(
            Q(role_assignments__unit=unit) | Q(role_assignments__role=Role.POLITICIAN),
            role_assignments__municipality=municipality,
        ).distinct()
        self.fields["user"].queryset = people.order_by("first_name", "last_name")  # type: ignore[attr-defined]
        self.fields["user"].required = False
        self.fields["represents"].required = False
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.term_years = selectors.settings_for(municipality).term_years

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # A representative elected without an end date gets a full term (the service does
        # the same for callers without a form).
        starts_on = data.get("starts_on")
        if (
            data.get("role") in Membership.REPRESENTATIVE_ROLES
            and not data.get("ends_on")
            and starts_on is not None
        ):
            data["ends_on"] = terms.term_end(starts_on, self.term_years)
        return data


class EndTermForm(forms.Form):
    ends_on = DateField(label=_("Last day on the council"))


class PlanForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        error_messages={"required": _("Give the year, e.g. 2027.")},
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. agreed with the chair on 12.01.2026."),
    )


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of meeting"),
        choices=Meeting.Kind.choices,
        widget=forms.RadioSelect,
        initial=Meeting.Kind.COUNCIL,
    )
    date = DateField(label=_("Date"))
    time = forms.TimeField(
        label=_("Time"),
        input_formats=["%H:%M", "%H.%M", "%H"],
        widget=forms.TimeInput(format="%H:%M", attrs={"autocomplete": "off"}),
        help_text=_("Format: 18:00."),
        error_messages={"invalid": _("Write the time as hours:minutes, e.g. 18:00.")},
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Optional, e.g. the theme of an open assembly."),
    )

    def __init__(self, *args: Any, meeting: Meeting | None = None, **kwargs: Any) -> None:
        if meeting is not None:
            local = timezone.localtime(meeting.starts_at)
            kwargs.setdefault(
                "initial",
                {
                    "kind": meeting.kind,
                    "date": local.date(),
                    "time": local.time(),
                    "place": meeting.place,
                    "title": meeting.title,
                },
            )
        super().__init__(*args, **kwargs)

    def starts_at(self) -> datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.combine(data["date"], data["time"]))


class AgendaItemForm(forms.ModelForm[AgendaItem]):
    theme = forms.ChoiceField(label=_("Theme"), required=False)

    class Meta:
        model = AgendaItem
        fields = ["title", "theme", "description", "proposal"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "proposal": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self, *args: Any, themes: list[str], standing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        current = self.initial.get("theme") or (self.instance.theme if self.instance else "")
        choices = [("", _("No theme")), *((t, t) for t in themes)]
        if current and current not in themes:
            choices.append((current, current))
        self.fields["theme"].choices = choices  # type: ignore[attr-defined]
        self.fields["title"].required = not standing
        if standing:
            self.fields["title"].help_text = _("Leave empty to use the standing item's name.")


class ConfirmForm(forms.Form):
    note = forms.CharField(
        label=_("Why this is not an individual case"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _(
                "Say why the item is about the service in general and not about one person, "
                "or rewrite the item instead."
            )
        },
    )


class ResultsChoiceForm(forms.Form):
    """Step one of putting survey figures with an item: which results (a GET form)."""

    cell = forms.TypedChoiceField(label=_("Survey results of the unit"), coerce=int)

    def __init__(self, *args: Any, cells: list[ResultCell], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cell"].choices = [(c.pk, cell_label(c)) for c in cells]  # type: ignore[attr-defined]


def cell_label(cell: ResultCell) -> str:
    label = f"{cell.result_set.round.name} – {cell.get_audience_display()}"
    if not cell.is_shown:
        return str(_("%(label)s (hidden: too few answered)") % {"label": label})
    return str(_("%(label)s (%(n)s answers)") % {"label": label, "n": cell.responses})


class StatementsForm(forms.Form):
    cell = forms.IntegerField(widget=forms.HiddenInput)
    statements = forms.MultipleChoiceField(
        label=_("Statements to show with the item"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose one or more statements.")},
    )

    def __init__(self, *args: Any, cell: ResultCell, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        round_ = cell.result_set.round
        spec = round_.questionnaire_for(is_relative=cell.audience == Audience.RELATIVES).spec
        language = _language()
        self.fields["statements"].choices = [  # type: ignore[attr-defined]
            (s.key, f"{s.number}. {s.text.get(language)}") for s in spec.statements
        ]


def _language() -> str:
    from django.utils.translation import get_language

    return get_language() or "nb"


class MinutesForm(forms.Form):
    """The minutes: each member's attendance, each item's discussion and resolution."""

    outcome = forms.CharField(
        label=_("What came out of the meeting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The main points, agreements and what happens next."),
    )
    participants = forms.IntegerField(
        label=_("Participants"),
        required=False,
        min_value=0,
        help_text=_("How many came, for an open meeting (registered or not)."),
    )

    def __init__(
        self,
        *args: Any,
        meeting: Meeting,
        members: list[Membership],
        items: list[AgendaItem],
        **kwargs: Any,
    ) -> None:
        attendance = {a.membership_id: a.status for a in meeting.attendance.all()}
        initial: dict[str, Any] = {
            "outcome": meeting.outcome,
            "participants": meeting.participants,
        }
        for member in members:
            initial[self.attendance_field(member)] = attendance.get(
                member.pk, Attendance.Status.PRESENT
            )
        for item in items:
            initial[self.discussion_field(item)] = item.discussion
            resolution = item.resolution
            if not resolution and item.is_standing:
                resolution = str(services.STANDING_RESOLUTIONS.get(item.kind, ""))
            initial[self.resolution_field(item)] = resolution
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.members, self.items = members, items
        if not meeting.takes_registrations:
            del self.fields["participants"]
        for member in members:
            self.fields[self.attendance_field(member)] = forms.ChoiceField(
                label=f"{member.name} ({member.get_role_display()})",
                choices=Attendance.Status.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Say whether %(name)s came.") % {"name": member.name}
                },
            )
        for item in items:
            self.fields[self.discussion_field(item)] = forms.CharField(
                label=_("Discussion"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            self.fields[self.resolution_field(item)] = forms.CharField(
                label=_("Advisory resolution"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_(
                    "What the council advises the unit. It gives advice; it does not decide."
                ),
            )

    @staticmethod
    def attendance_field(member: Membership) -> str:
        return f"attendance-{member.pk}"

    @staticmethod
    def discussion_field(item: AgendaItem) -> str:
        return f"discussion-{item.pk}"

    @staticmethod
    def resolution_field(item: AgendaItem) -> str:
        return f"resolution-{item.pk}"

    def attendance(self) -> dict[int, str]:
        return {m.pk: self.cleaned_data[self.attendance_field(m)] for m in self.members}

    def item_texts(self) -> dict[int, tuple[str, str]]:
        return {
            item.pk: (
                self.cleaned_data.get(self.discussion_field(item), ""),
                self.cleaned_data.get(self.resolution_field(item), ""),
            )
            for item in self.items
        }

    def attendance_fields(self) -> list[forms.BoundField]:
        return [self[self.attendance_field(m)] for m in self.members]

    def item_fields(self) -> list[tuple[AgendaItem, forms.BoundField, forms.BoundField]]:
        return [
            (item, self[self.discussion_field(item)], self[self.resolution_field(item)])
            for item in self.items
        ]


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    affiliation = forms.CharField(
        label=_("Comes as"),
        max_length=150,
        required=False,
        help_text=_("E.g. relative, neighbour, member of the HSO committee, volunteer centre."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)


class ActionForm(forms.Form):
    """An improvement action. A plain form: services.action_create/update check the rest."""

    title = forms.CharField(label=_("Action"), max_length=200)
    description = forms.CharField(
        label=_("What will be done"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    round = forms.ModelChoiceField(
        label=_("Based on the survey"),
        queryset=Round.objects.none(),
        required=False,
        help_text=_("The round whose results the action answers."),
    )
    statements = forms.MultipleChoiceField(
        label=_("Survey statements the action should move"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose the statements of one group of respondents: users or relatives."),
    )
    feedback_theme = forms.CharField(
        label=_("Feedback theme"),
        max_length=200,
        required=False,
        help_text=_("Or what users and relatives have said, e.g. “meals”, “activities”."),
    )
    owner = forms.CharField(label=_("Responsible"), max_length=150)
    due_on = DateField(label=_("Due"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=ImprovementAction.Status.choices,
        widget=forms.RadioSelect,
        initial=ImprovementAction.Status.PLANNED,
    )
    council_advice = forms.CharField(
        label=_("The council's advice"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    advice_item = forms.ModelChoiceField(
        label=_("Advice given in item"),
        queryset=AgendaItem.objects.none(),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        instance: ImprovementAction | None,
        statement_choices: list[tuple[str, list[tuple[str, str]]]],
        rounds: Any,
        items: Any,
        **kwargs: Any,
    ) -> None:
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": instance.title,
                    "description": instance.description,
                    "round": instance.round_id,
                    "statements": [f"{instance.audience}:{k}" for k in instance.statement_keys],
                    "feedback_theme": instance.feedback_theme,
                    "owner": instance.owner,
                    "due_on": instance.due_on,
                    "status": instance.status,
                    "council_advice": instance.council_advice,
                    "advice_item": instance.advice_item_id,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["statements"].choices = statement_choices  # type: ignore[attr-defined]
        self.fields["round"].queryset = rounds  # type: ignore[attr-defined]
        self.fields["advice_item"].queryset = items  # type: ignore[attr-defined]
        self.fields["advice_item"].label_from_instance = (  # type: ignore[attr-defined]
            lambda item: f"{item.label} {item.display_title}"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("statements") or []
        audiences = {value.split(":", 1)[0] for value in chosen}
        if len(audiences) > 1:
            self.add_error(
                "statements",
                _("Choose statements of either the users' or the relatives' survey, not both."),
            )
        if chosen and data.get("round") is None:
            self.add_error("round", _("Choose the survey round the statements are from."))
        if data.get("round") is not None and not chosen:
            self.add_error("statements", _("Choose the statements the action should move."))
        return data

    def action_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        chosen = data.pop("statements", []) or []
        data["audience"] = chosen[0].split(":", 1)[0] if chosen else Audience.USERS
        data["statement_keys"] = [value.split(":", 1)[1] for value in chosen]
        return data
