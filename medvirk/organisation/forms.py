"""Forms for the organisation pages. Choices are always limited to the municipality, so an
id from another municipality or unit is an invalid choice, never a leak."""

from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from . import selectors
from .audit import action_label
from .models import (
    MUNICIPALITY_ROLES,
    SERVICE_AREA_ROLES,
    UNIT_ROLES,
    District,
    Municipality,
    Role,
    ServiceArea,
    ServiceType,
    Unit,
    User,
)
from .services import DISTRICT_FIELDS, SERVICE_AREA_FIELDS, SERVICE_TYPE_FIELDS, UNIT_FIELDS


class MunicipalitySettingsForm(forms.ModelForm[Municipality]):
    class Meta:
        model = Municipality
        fields = ["name", "host", "logo", "brand_colour", "results_min_n", "two_factor_required"]
        widgets = {"brand_colour": forms.TextInput(attrs={"type": "color"})}


class ServiceAreaForm(forms.ModelForm[ServiceArea]):
    class Meta:
        model = ServiceArea
        fields = list(SERVICE_AREA_FIELDS)

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The unique check on (municipality, code) needs the municipality before validation.
        self.instance.municipality = municipality


class DistrictForm(forms.ModelForm[District]):
    class Meta:
        model = District
        fields = ["service_area", *DISTRICT_FIELDS]

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service_area"].queryset = selectors.service_areas(  # type: ignore[attr-defined]
            municipality=municipality
        )
        if self.instance.pk:
            self.fields["service_area"].disabled = True


class UnitForm(forms.ModelForm[Unit]):
    class Meta:
        model = Unit
        fields = ["service_area", *UNIT_FIELDS]

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service_area"].queryset = selectors.service_areas(  # type: ignore[attr-defined]
            municipality=municipality
        )
        self.fields["district"].queryset = selectors.districts(  # type: ignore[attr-defined]
            municipality=municipality
        )
        self.fields["postal_code"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "postal-code"}
        )
        if self.instance.pk:
            self.fields["service_area"].disabled = True


class UnitContactForm(forms.ModelForm[Unit]):
    """What a unit manager may change about their own unit: how to reach it."""

    class Meta:
        model = Unit
        fields = ["street_address", "postal_code", "place", "phone", "email"]

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["postal_code"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "postal-code"}
        )


class ServiceTypeForm(forms.ModelForm[ServiceType]):
    class Meta:
        model = ServiceType
        fields = list(SERVICE_TYPE_FIELDS)

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality


class ServiceAddForm(forms.Form):
    service_type = forms.ModelChoiceField(
        label=_("Service"), queryset=ServiceType.objects.none(), empty_label=_("Choose a service")
    )

    def __init__(self, *args: Any, unit: Unit, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service_type"].queryset = selectors.service_types_available(  # type: ignore[attr-defined]
            municipality=municipality
        ).exclude(services__unit=unit)


class RoleFieldsMixin(forms.Form):
    """The role fields shared by "new user" and "assign role": a role and its scope."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("For unit managers, unit staff and council members."),
    )
    service_area = forms.ModelChoiceField(
        label=_("Service area"),
        queryset=ServiceArea.objects.none(),
        required=False,
        help_text=_("For quality advisers."),
    )

    def limit_role_choices(self, municipality: Municipality) -> None:
        self.fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            service_area__municipality=municipality
        )
        self.fields["service_area"].queryset = selectors.service_areas(  # type: ignore[attr-defined]
            municipality=municipality
        )

    def _check_role_scope(self, data: dict[str, Any]) -> dict[str, Any]:
        role = data.get("role")
        if role in UNIT_ROLES and not data.get("unit"):
            self.add_error("unit", _("Choose the unit this role is for."))
        if role in SERVICE_AREA_ROLES and not data.get("service_area"):
            self.add_error("service_area", _("Choose the service area this role is for."))
        if role in MUNICIPALITY_ROLES | SERVICE_AREA_ROLES:
            data["unit"] = None
        if role in MUNICIPALITY_ROLES | UNIT_ROLES:
            data["service_area"] = None
        return data


class RoleAssignForm(RoleFieldsMixin):
    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_role_choices(municipality)

    def clean(self) -> dict[str, Any]:
        return self._check_role_scope(super().clean() or {})


class UserCreateForm(RoleFieldsMixin, forms.ModelForm[User]):
    """A new user and their first role."""

    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        required=False,
        help_text=_(
            "At least 10 characters, not only digits and not a common password. Leave empty "
            "if the person signs in through the municipality's single sign-on."
        ),
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email"]

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_role_choices(municipality)
        for name in ("first_name", "last_name"):
            self.fields[name].required = True

    def clean_password(self) -> str:
        password: str = self.cleaned_data.get("password", "")
        if password:
            password_validation.validate_password(password, self.instance)
        return password

    def clean(self) -> dict[str, Any]:
        return self._check_role_scope(super().clean() or {})


class UserUpdateForm(forms.ModelForm[User]):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "is_active"]
        help_texts = {"is_active": _("Inactive users cannot sign in. Their history stays.")}


class SetPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("New password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not only digits and not a common password."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        password_validation.validate_password(password, self.user)
        return password


class TwoFactorCodeForm(forms.Form):
    """One code: six digits from the authenticator app, or (``backup`` allowed) a backup code.

    Spaces, dashes and letter case are forgiven, as people copy codes from paper.
    """

    code = forms.CharField(label=_("Code"), max_length=40)

    def __init__(self, *args: Any, backup: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.widget.attrs.update({"autocomplete": "one-time-code", "spellcheck": "false"})
        if backup:
            field.help_text = _(
                "The six digits your authenticator app shows now, or one of your backup codes."
            )
        else:
            field.help_text = _("The six digits the app shows now.")
            field.widget.attrs["inputmode"] = "numeric"

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split()).replace("-", "").lower()
        if not code:
            raise forms.ValidationError(_("Enter the code."), code="required")
        return code


class AuditFilterForm(forms.Form):
    actor = forms.TypedChoiceField(label=_("Who"), required=False, coerce=int, empty_value=None)
    action = forms.ChoiceField(label=_("Action"), required=False)
    target_type = forms.ChoiceField(label=_("Object type"), required=False)
    date_from = forms.DateField(
        label=_("From date"), required=False, help_text=_("Format: 22.11.2026")
    )
    date_to = forms.DateField(label=_("To date"), required=False, help_text=_("Format: 22.11.2026"))

    def __init__(self, *args: Any, facets: dict[str, list[Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everyone = [("", _("Everyone"))]
        self.fields["actor"].choices = everyone + [(u.pk, str(u)) for u in facets["actors"]]  # type: ignore[attr-defined]
        self.fields["action"].choices = [("", _("All actions"))] + [  # type: ignore[attr-defined]
            (a, action_label(a)) for a in facets["actions"]
        ]
        self.fields["target_type"].choices = [("", _("All object types"))] + [  # type: ignore[attr-defined]
            (t, target_type_label(t)) for t in facets["target_types"]
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The to date must be on or after the from date."))
        return data


def target_type_label(label_lower: str) -> str:
    """``organisation.unit`` → the model's translated name, e.g. "virksomhet"."""
    try:
        return str(apps.get_model(label_lower)._meta.verbose_name).capitalize()
    except (LookupError, ValueError):
        return label_lower
