"""Staff pages for surveys: rounds, their units and contacts, recipient import, paper
entry, and questionnaires. Thin: check, call a service or selector, render.

No page here shows a single response, and none can: responses are only ever counted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from medvirk.core.forms import attempt
from medvirk.core.forms import refused as _refused
from medvirk.core.http import StaffRequest
from medvirk.core.models import BackgroundTask
from medvirk.organisation.decorators import staff_required

from .. import answers, selectors, services
from ..forms import (
    ContactForm,
    ImportForm,
    PaperResponseForm,
    QuestionnaireTextsForm,
    RoundForm,
)
from ..models import Audience, Round

# --- rounds ----------------------------------------------------------------------------


def _round(request: StaffRequest, pk: int, permission: str = "surveys.view_round") -> Round:
    """A round the user may see (others are not found), refused if ``permission`` is not held."""
    round_ = selectors.round_get_visible(
        user=request.user, municipality=request.municipality, pk=pk
    )
    if not request.user.has_perm(permission, round_):
        raise PermissionDenied
    return round_


@staff_required("surveys.view_rounds")
def rounds(request: StaffRequest) -> HttpResponse:
    municipality = request.municipality
    listed = list(selectors.rounds_visible(user=request.user, municipality=municipality))
    totals = selectors.totals_by_round(listed, user=request.user)
    return render(
        request,
        "surveys/rounds.html",
        {
            "rows": [(r, totals[r.pk]) for r in listed],
            "can_manage": request.user.has_perm("surveys.manage_rounds", municipality),
        },
    )


@staff_required("surveys.manage_rounds")
def round_create(request: StaffRequest) -> HttpResponse:
    municipality = request.municipality
    form = RoundForm(request.POST or None, municipality=municipality, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = _refused(
            form,
            lambda: services.round_create(
                actor=request.user,
                municipality=municipality,
                service_area=data["service_area"],
                name=data["name"],
                questionnaire=data["questionnaire"],
                relatives_questionnaire=data["relatives_questionnaire"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                units=data["units"],
                service_types=data["service_types"],
                contact={
                    "name": data["contact_name"],
                    "phone": data["contact_phone"],
                    "hours": data["contact_hours"],
                },
            ),
        )
        if created is not None:
            messages.success(request, _("The round is created as a draft."))
            return redirect(created)
    return _form_page(request, form, _("New survey round"), reverse("surveys:rounds"))


def _form_page(
    request: StaffRequest, form: forms.BaseForm, title: str, back_url: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "surveys/form_page.html",
        {"form": form, "title": title, "back_url": back_url, **extra},
        status=400 if form.is_bound and form.errors else 200,
    )


@staff_required("surveys.view_rounds")
def round_detail(request: StaffRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    can_run = request.user.has_perm("surveys.run_round", round_)
    imports = (
        BackgroundTask.objects.filter(
            municipality=request.municipality,
            kind="surveys.import_recipients",
            params__round=round_.pk,
        ).select_related("created_by")[:5]
        if can_run
        else []
    )
    return render(
        request,
        "surveys/round_detail.html",
        {
            "round": round_,
            "phase": round_.phase,
            "State": Round.State,
            "Phase": Round.Phase,
            "totals": selectors.round_totals_for(round_=round_, user=request.user),
            "progress": selectors.round_progress(round_=round_, user=request.user),
            "missing": services.round_missing(round_) if round_.state == Round.State.DRAFT else [],
            "can_run": can_run,
            "imports": imports,
        },
    )


@staff_required("surveys.manage_rounds")
def round_edit(request: StaffRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk, "surveys.run_round")
    if round_.state == Round.State.CLOSED:
        messages.error(request, _("A closed round cannot change."))
        return redirect(round_)
    form = RoundForm(
        request.POST or None, instance=round_, municipality=request.municipality, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        units = data.pop("units", None)
        service_types = data.pop("service_types", None)
        data.pop("service_area", None)

        def save() -> Round:
            with transaction.atomic():
                saved = services.round_update(actor=request.user, round_=round_, data=data)
                if units is not None:
                    services.round_set_units(
                        actor=request.user,
                        round_=saved,
                        units=units,
                        service_types=service_types,
                    )
                return saved

        if _refused(form, save) is not None:
            messages.success(request, _("Saved."))
            return redirect(round_)
    return _form_page(
        request, form, _("Edit %(round)s") % {"round": round_.name}, round_.get_absolute_url()
    )


@staff_required("surveys.manage_rounds")
def round_contact(request: StaffRequest, pk: int, unit_pk: int) -> HttpResponse:
    round_ = _round(request, pk, "surveys.run_round")
    round_unit = get_object_or_404(round_.round_units.select_related("unit"), unit_id=unit_pk)
    form = ContactForm(
        request.POST or None,
        initial={
            "name": round_unit.contact_name,
            "phone": round_unit.contact_phone,
            "hours": round_unit.contact_hours,
        },
    )
    if request.method == "POST" and form.is_valid():
        saved = _refused(
            form,
            lambda: services.round_unit_set_contact(
                actor=request.user, round_unit=round_unit, **form.cleaned_data
            ),
        )
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect(round_)
    return _form_page(
        request,
        form,
        _("Contact person for %(unit)s") % {"unit": round_unit.unit.name},
        round_.get_absolute_url(),
        lead=_("The letters to this unit's recipients print this name, phone and hours."),
    )


@staff_required("surveys.manage_rounds")
def round_import(request: StaffRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk, "surveys.run_round")
    form = ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if round_.state == Round.State.CLOSED:
        messages.error(request, _("Recipients cannot be added to a closed round."))
        return redirect(round_)
    if request.method == "POST" and form.is_valid():
        task = _refused(
            form,
            lambda: services.recipients_import_queue(
                actor=request.user,
                round_=round_,
                data=form.cleaned_data["file"].read(),
                skip_invalid=form.cleaned_data["skip_invalid"],
            ),
        )
        if task is not None:
            return redirect("core:task_status", pk=task.pk)
    return render(
        request,
        "surveys/import.html",
        {"form": form, "round": round_},
        status=400 if form.is_bound and form.errors else 200,
    )


def _state_change(
    request: StaffRequest, pk: int, change: Callable[..., Round], done: str
) -> HttpResponse:
    round_ = _round(request, pk, "surveys.run_round")
    attempt(request, lambda: change(actor=request.user, round_=round_), done)
    return redirect(round_)


@require_POST
@staff_required("surveys.manage_rounds")
def round_open(request: StaffRequest, pk: int) -> HttpResponse:
    return _state_change(request, pk, services.round_open, _("The round is open."))


@require_POST
@staff_required("surveys.manage_rounds")
def round_close(request: StaffRequest, pk: int) -> HttpResponse:
    return _state_change(
        request, pk, services.round_close, _("The round is closed. No code works any longer.")
    )


@staff_required("surveys.manage_rounds")
def round_purge(request: StaffRequest, pk: int) -> HttpResponse:
    """Ask first, then delete the names and addresses of a closed round."""
    round_ = _round(request, pk, "surveys.run_round")
    if request.method == "POST":
        try:
            report = services.recipients_purge(actor=request.user, round_=round_)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                ngettext(
                    "Deleted %(n)s recipient with their name, address and code.",
                    "Deleted %(n)s recipients with their names, addresses and codes.",
                    report.recipients,
                )
                % {"n": report.recipients},
            )
        return redirect(round_)
    return render(
        request,
        "surveys/purge_confirm.html",
        {"round": round_, "totals": selectors.round_totals(round_)},
    )


@staff_required("surveys.manage_rounds")
def round_enter(request: StaffRequest, pk: int) -> HttpResponse:
    """Type in a paper form or an interview."""
    round_ = _round(request, pk, "surveys.run_round")
    audience = request.GET.get("for", Audience.USERS)
    if audience == Audience.RELATIVES and round_.relatives_questionnaire is not None:
        questionnaire = round_.relatives_questionnaire
    else:
        audience, questionnaire = Audience.USERS, round_.questionnaire
    spec = questionnaire.spec
    language = translation.get_language() or "nb"
    form = PaperResponseForm(
        request.POST or None,
        round_=round_,
        spec=spec,
        initial={"mode": "paper"},
        language=language,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = _refused(
            form,
            lambda: services.response_enter(
                actor=request.user,
                round_=round_,
                mode=data["mode"],
                unit=data["unit"],
                service_type=data["service_type"],
                audience=audience,
                on_behalf=data["on_behalf"],
                scores=answers.with_values(answers.blank(spec), form.scores()),
                importance=answers.with_values(answers.blank(spec), form.importance()),
                texts={k: v for k, v in form.texts().items() if v},
                code=data["code"],
            ),
        )
        if saved is not None:
            messages.success(request, _("The response is saved. You can enter the next one."))
            return redirect(f"{reverse('surveys:round_enter', args=[round_.pk])}?for={audience}")
    return render(
        request,
        "surveys/enter.html",
        {
            "round": round_,
            "form": form,
            "spec": spec,
            "language": language,
            "audience": audience,
            "Audience": Audience,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


# --- questionnaires --------------------------------------------------------------------


@staff_required("surveys.manage_questionnaires")
def questionnaires(request: StaffRequest) -> HttpResponse:
    municipality = request.municipality
    listed = list(selectors.questionnaires_available(municipality=municipality))
    return render(request, "surveys/questionnaires.html", {"questionnaires": listed})


@staff_required("surveys.manage_questionnaires")
def questionnaire_detail(request: StaffRequest, pk: int) -> HttpResponse:
    questionnaire = selectors.questionnaire_get(municipality=request.municipality, pk=pk)
    spec = questionnaire.spec
    language = request.GET.get("lang", "")
    if language not in spec.languages:
        current = translation.get_language() or "nb"
        language = current if current in spec.languages else "nb"
    rounds_using = selectors.rounds_using(questionnaire).filter(municipality=request.municipality)
    return render(
        request,
        "surveys/questionnaire_detail.html",
        {
            "questionnaire": questionnaire,
            "spec": spec,
            "language": language,
            "rounds_using": rounds_using,
            "can_edit": request.user.has_perm("surveys.edit_questionnaire", questionnaire),
        },
    )


@require_POST
@staff_required("surveys.manage_questionnaires")
def questionnaire_copy(request: StaffRequest, pk: int) -> HttpResponse:
    source = selectors.questionnaire_get(municipality=request.municipality, pk=pk)
    copy = services.questionnaire_copy(
        actor=request.user, municipality=request.municipality, source=source
    )
    messages.success(request, _("The copy is made. Edit its texts here."))
    return redirect(copy)


@staff_required("surveys.manage_questionnaires")
def questionnaire_edit(request: StaffRequest, pk: int) -> HttpResponse:
    questionnaire = selectors.questionnaire_get(municipality=request.municipality, pk=pk)
    if not request.user.has_perm("surveys.edit_questionnaire", questionnaire):
        raise PermissionDenied
    spec = questionnaire.spec
    language = request.GET.get("lang", "nb")
    if language not in spec.languages:
        language = "nb"
    form = QuestionnaireTextsForm(request.POST or None, spec=spec, language=language)
    if request.method == "POST" and form.is_valid():
        saved = _refused(
            form,
            lambda: services.questionnaire_update_texts(
                actor=request.user,
                questionnaire=questionnaire,
                language=language,
                texts=form.texts(),
            ),
        )
        if saved is not None:
            if saved.pk != questionnaire.pk:
                messages.success(
                    request,
                    _(
                        "Saved as version %(version)s. Rounds that ran with the earlier version "
                        "keep it."
                    )
                    % {"version": saved.version},
                )
            else:
                messages.success(request, _("Saved."))
            return redirect(f"{saved.get_absolute_url()}?lang={language}")
    return _form_page(
        request,
        form,
        _("Edit texts of %(title)s") % {"title": spec.title.get(language)},
        questionnaire.get_absolute_url(),
        languages=[(code, name) for code, name in _language_names() if code in spec.languages],
        language=language,
        edit_url=reverse("surveys:questionnaire_edit", args=[questionnaire.pk]),
    )


def _language_names() -> list[tuple[str, str]]:
    from django.conf import settings

    return [(code, str(name)) for code, name in settings.LANGUAGES]
