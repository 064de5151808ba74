"""Staff pages for letters: texts with a preview, printing, downloading, reissuing.

Only those who run a round (its service area's quality advisers, and administrators) may
open these pages. A printed file can be downloaded once, by whoever printed it.
"""

from __future__ import annotations

import base64
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from medvirk.core import tasks
from medvirk.core.forms import attempt
from medvirk.core.http import StaffRequest
from medvirk.core.models import BackgroundTask
from medvirk.organisation.decorators import staff_required
from medvirk.surveys import selectors as survey_selectors
from medvirk.surveys.models import Audience, Recipient, Round

from . import composing, files, selectors, services
from .forms import LetterTextForm, PrintForm, ReissueSearchForm
from .models import LetterKind, LetterText

LANGUAGE_NAMES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}
REISSUE_LIMIT = 25


def _round(request: StaffRequest, pk: int) -> Round:
    round_ = survey_selectors.round_get_visible(
        user=request.user, municipality=request.municipality, pk=pk
    )
    if not request.user.has_perm("surveys.run_round", round_):
        raise PermissionDenied
    return round_


def _letters_page(
    request: StaffRequest, round_: Round, print_form: PrintForm | None = None
) -> HttpResponse:
    saved = selectors.texts_of(round_)
    rows = []
    for kind in LetterKind:
        for audience in selectors.audiences_of(round_):
            for language in (selectors.DEFAULT_LANGUAGE, *selectors.OPTIONAL_LANGUAGES):
                rows.append(
                    {
                        "kind": kind,
                        "audience": Audience(audience),
                        "language": language,
                        "language_name": LANGUAGE_NAMES[language],
                        "saved": saved.get((kind, audience, language)),
                        "url": reverse(
                            "letters:text_edit", args=[round_.pk, kind, audience, language]
                        ),
                    }
                )
    prints = BackgroundTask.objects.filter(
        municipality=request.municipality,
        kind="letters.print",
        params__round=round_.pk,
        created_by=request.user,
    )[:5]
    return render(
        request,
        "letters/round.html",
        {
            "round": round_,
            "rows": rows,
            "form": print_form or PrintForm(round_=round_),
            "missing": services.print_missing(round_, kind=LetterKind.INVITATION),
            "prints": prints,
            "search_form": ReissueSearchForm(),
        },
        status=400 if print_form is not None and print_form.errors else 200,
    )


@staff_required("surveys.manage_rounds")
def round_letters(request: StaffRequest, pk: int) -> HttpResponse:
    return _letters_page(request, _round(request, pk))


def _wording(round_: Round, kind: str, audience: str, language: str) -> LetterText:
    if (
        kind not in LetterKind.values
        or audience not in selectors.audiences_of(round_)
        or language not in LANGUAGE_NAMES
    ):
        raise Http404
    saved = selectors.text_for(round_, kind=kind, audience=audience, language=language)
    if saved is not None:
        return saved
    return selectors.default_text(round_=round_, kind=kind, audience=audience, language=language)


@staff_required("surveys.manage_rounds")
def text_edit(
    request: StaffRequest, pk: int, kind: str, audience: str, language: str
) -> HttpResponse:
    round_ = _round(request, pk)
    wording = _wording(round_, kind, audience, language)
    form = LetterTextForm(request.POST or None, instance=wording)
    preview: list[str] = []
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.TEXT_FIELDS}
        if request.POST.get("action") == "preview":
            problems = services.check_text(fields)
            for field, errors in problems.items():
                for error in errors:
                    form.add_error(field, error)
            if not problems:
                candidate = LetterText(
                    round=round_, kind=kind, audience=audience, language=language, **fields
                )
                preview = [
                    base64.b64encode(image).decode("ascii")
                    for image in composing.preview_png(candidate)
                ]
        else:
            try:
                services.letter_text_save(
                    actor=request.user,
                    round_=round_,
                    kind=kind,
                    audience=audience,
                    language=language,
                    fields=fields,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, _("The letter text is saved."))
                return redirect("letters:round", pk=round_.pk)
    return render(
        request,
        "letters/text_edit.html",
        {
            "round": round_,
            "form": form,
            "kind": LetterKind(kind),
            "audience": Audience(audience),
            "language": language,
            "language_name": LANGUAGE_NAMES[language],
            "placeholders": [
                (f"{{{name}}}", help) for name, help in composing.PLACEHOLDER_HELP.items()
            ],
            "preview": preview,
            "is_saved": wording.pk is not None,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@staff_required("surveys.manage_rounds")
def text_delete(
    request: StaffRequest, pk: int, kind: str, audience: str, language: str
) -> HttpResponse:
    round_ = _round(request, pk)
    wording = _wording(round_, kind, audience, language)
    if wording.pk is None:
        raise Http404
    attempt(
        request,
        lambda: services.letter_text_delete(actor=request.user, letter=wording),
        _("Removed. Recipients who prefer %(language)s get bokmål letters.")
        % {"language": LANGUAGE_NAMES[language]},
    )
    return redirect("letters:round", pk=round_.pk)


@require_POST
@staff_required("surveys.manage_rounds")
def print_start(request: StaffRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    form = PrintForm(request.POST, round_=round_)
    if not form.is_valid():
        return _letters_page(request, round_, form)
    data = form.cleaned_data
    unit_ids = [unit.pk for unit in data["units"]]
    missing = services.print_missing(round_, kind=data["kind"], unit_ids=unit_ids)
    if missing:
        for message in missing:
            form.add_error(None, message)
        return _letters_page(request, round_, form)
    task = tasks.enqueue(
        kind="letters.print",
        municipality=request.municipality,
        actor=request.user,
        params={
            "round": round_.pk,
            "kind": data["kind"],
            "units": unit_ids,
            "batch_size": data["batch_size"],
        },
    )
    return redirect("core:task_status", pk=task.pk)


def _printed(request: StaffRequest, task: UUID) -> BackgroundTask:
    """A finished print of this user's: nobody else may fetch the codes in it."""
    found = BackgroundTask.objects.filter(
        pk=task,
        municipality=request.municipality,
        kind="letters.print",
        created_by=request.user,
        status=BackgroundTask.Status.DONE,
    ).first()
    if found is None or not found.result:
        raise Http404
    return found


@staff_required("surveys.manage_rounds")
def download(request: StaffRequest, task: UUID) -> HttpResponseBase:
    printed = _printed(request, task)
    result: dict[str, Any] = dict(printed.result or {})
    path = files.folder(printed.pk) / result["download"]
    if not path.is_file():
        messages.info(
            request,
            _("That file has been downloaded and deleted already. Print again for a new one."),
        )
        return redirect("core:task_status", pk=printed.pk)
    services.letters_download(actor=request.user, printed=printed)
    content_type = "application/zip" if path.suffix == ".zip" else "application/pdf"
    return FileResponse(
        files.DeletedOnClose(path),
        as_attachment=True,
        filename=path.name,
        content_type=content_type,
    )


@staff_required("surveys.manage_rounds")
def manifest(request: StaffRequest, task: UUID) -> HttpResponse:
    """The print shop's list: letters per batch and postal code (no names, no codes)."""
    printed = _printed(request, task)
    report = services.PrintReport(
        manifest=[
            (int(batch), str(postal), int(n))
            for batch, postal, n in (printed.result or {}).get("manifest", [])
        ]
    )
    response = HttpResponse(report.manifest_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="manifest.csv"'
    return response


@staff_required("surveys.manage_rounds")
def reissue_search(request: StaffRequest, pk: int) -> HttpResponse:
    """Find the recipient whose letter was lost."""
    round_ = _round(request, pk)
    form = ReissueSearchForm(request.GET or None)
    found: list[Recipient] = []
    if form.is_bound and form.is_valid():
        found = selectors.recipients_to_reissue(round_, form.cleaned_data["q"], limit=REISSUE_LIMIT)
    return render(
        request,
        "letters/reissue.html",
        {"round": round_, "form": form, "found": found, "limit": REISSUE_LIMIT},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
@staff_required("surveys.manage_rounds")
def reissue(request: StaffRequest, pk: int, recipient_pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    recipient = Recipient.objects.filter(round=round_, pk=recipient_pk).first()
    if recipient is None:
        raise Http404
    try:
        pdf = services.recipient_reissue(actor=request.user, recipient=recipient)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("letters:reissue", pk=round_.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="nytt-brev.pdf"'
    return response
