"""The answer pages at /svar: code, language, one page per section, summary, thanks.

Who is answering is kept in a signed cookie holding only the access code's random id, set
when a right code is typed and deleted on submission; nothing is kept in a server-side
session and nothing about a respondent is logged. The cookie carries the time of the last
page and is renewed with every page: after MEDVIRK_ANSWER_IDLE_MINUTES without one it no
longer opens the answers (the next person at a shared tablet meets the code page, and the
answers so far are kept for the code). Every page works without JavaScript, and every POST
answers with a redirect, so reloading a page never sends anything twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from medvirk.core.clientip import client_address
from medvirk.core.http import MunicipalityRequest
from medvirk.core.templatetags.medvirk import long_datetime

from .. import answers, rendering, selectors, services
from ..forms import CodeForm, SectionForm, StartForm, importance_field, statement_field, text_field
from ..models import AccessCode, Questionnaire, Round
from ..questionnaire import DONT_KNOW, QuestionnaireSpec, Scale, Section

COOKIE = "medvirk_svar"
SALT = "medvirk.surveys.respondent"
SUMMARY = "oppsummering"
PAUSE = "pause"


@dataclass
class Answering:
    """The respondent behind a request: their access code, draft and questionnaire."""

    access_code: AccessCode
    draft: services.OpenDraft
    questionnaire: Questionnaire

    @property
    def spec(self) -> QuestionnaireSpec:
        return self.questionnaire.spec

    @property
    def round(self) -> Round:
        return self.access_code.round

    @property
    def steps(self) -> int:
        """Start page, one page per section, summary."""
        return len(self.spec.sections) + 2


def _idle_seconds() -> int:
    return settings.MEDVIRK_ANSWER_IDLE_MINUTES * 60


def _set_answering_cookie(response: HttpResponse, access_code_pk: Any) -> None:
    response.set_cookie(
        COOKIE,
        signing.dumps({"a": str(access_code_pk)}, salt=SALT),
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        path="/svar/",
    )


def _set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
    )


class _Idle(Exception):
    """The answering cookie is genuine but older than the idle time."""


def _access_code_from_cookie(request: MunicipalityRequest) -> AccessCode | None:
    """The access code the cookie names; ``_Idle`` when it has not been used for too long."""
    raw = request.COOKIES.get(COOKIE)
    if not raw:
        return None
    try:
        data = signing.loads(raw, salt=SALT, max_age=_idle_seconds())
    except signing.SignatureExpired:
        raise _Idle from None
    except signing.BadSignature:
        return None
    found = list(
        AccessCode.objects.select_related("round", "draft")
        .filter(pk=data.get("a"), round__municipality_id=request.municipality.pk)
        .order_by()[:1]
    )
    return found[0] if found else None


def _to_code_page(request: MunicipalityRequest, message: str) -> HttpResponse:
    messages.info(request, message)
    response = redirect("answer:code")
    response.delete_cookie(COOKIE, path="/svar/")
    return response


def _idle_message() -> str:
    return _(
        "We closed your answers after %(minutes)s minutes without activity. The answers you "
        "have given are saved. Type the code from your letter to continue."
    ) % {"minutes": settings.MEDVIRK_ANSWER_IDLE_MINUTES}


def _answering(request: MunicipalityRequest) -> Answering | HttpResponse:
    """The respondent, or the page to send them to instead (code page, round closed)."""
    try:
        access_code = _access_code_from_cookie(request)
    except _Idle:
        return _to_code_page(request, _idle_message())
    if access_code is None or access_code.used:
        return _to_code_page(request, _("Type the code from your letter to answer."))
    if access_code.round.phase != Round.Phase.ACCEPTING:
        return _round_status(request, access_code.round)
    draft = services.draft_for(access_code)
    round_ = access_code.round
    wanted = (
        round_.relatives_questionnaire_id
        if access_code.is_relative and round_.relatives_questionnaire_id
        else round_.questionnaire_id
    )
    request.answering_code = access_code.pk  # type: ignore[attr-defined]
    return Answering(access_code, draft, selectors.questionnaire_of_open_round(wanted))


def _renews_session(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Every page a respondent opens starts their idle time afresh (a new cookie)."""

    @wraps(view)
    def wrapper(request: MunicipalityRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        code = getattr(request, "answering_code", None)
        if code is not None and COOKIE not in response.cookies:
            _set_answering_cookie(response, code)
        return response

    return wrapper


def _step_url(answering: Answering, step: int) -> str:
    if step <= 0:
        return reverse("answer:start")
    if step > len(answering.spec.sections):
        return reverse("answer:summary")
    return reverse("answer:section", args=[step])


def _round_status(request: MunicipalityRequest, round_: Round) -> HttpResponse:
    return render(
        request,
        "surveys/answer/round_status.html",
        {"round": round_, "phase": round_.phase, "Phase": Round.Phase},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def code(request: MunicipalityRequest) -> HttpResponse:
    """The page the letter points to. ``?kode=`` (from the QR code) fills the code in."""
    if request.method != "POST":
        form = CodeForm()
        typed = request.GET.get("kode", "")[:40]
        return render(request, "surveys/answer/code.html", {"form": form, "typed": typed})
    form = CodeForm(request.POST)
    if form.is_valid():
        check = services.code_check(
            municipality=request.municipality,
            typed=form.cleaned_data["code"],
            client=services.client_key(client_address(request)),
        )
        if check.round is not None:
            return _round_status(request, check.round)
        if check.access_code is not None:
            # Made now, so that the pages that follow only read it.
            draft = services.draft_for(check.access_code)
            if draft.step > 0:
                with translation.override(draft.language):
                    messages.info(request, _("Welcome back. Your answers so far are kept."))
                response = HttpResponseRedirect(_resume_url(check.access_code, draft.step))
                # Continue in the language they chose, also on another device.
                _set_language_cookie(response, draft.language)
            else:
                response = HttpResponseRedirect(reverse("answer:start"))
            _set_answering_cookie(response, check.access_code.pk)
            return response
        if check.typo:
            form.add_error("code", _("The code has a typing error. Check it against the letter."))
        elif check.blocked_until is not None:
            form.add_error(
                "code",
                _("There have been too many attempts with wrong codes. Try again after %(time)s.")
                % {"time": long_datetime(check.blocked_until)},
            )
        else:
            form.add_error(
                "code",
                _(
                    "We did not find this code, or it has already been used. Check that you "
                    "typed it as it is in the letter."
                ),
            )
    typed = str(form.data.get("code", ""))[:40]
    return render(request, "surveys/answer/code.html", {"form": form, "typed": typed}, status=400)


def _resume_url(access_code: AccessCode, step: int) -> str:
    questionnaire = access_code.round.questionnaire_for(is_relative=access_code.is_relative)
    sections = len(questionnaire.spec.sections)
    if step > sections:
        return reverse("answer:summary")
    return reverse("answer:section", args=[step])


def _page(
    request: MunicipalityRequest,
    answering: Answering,
    template: str,
    step: int,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return render(
        request,
        template,
        {
            "answering": answering,
            "spec": answering.spec,
            "language": language,
            "title": answering.spec.title.get(language),
            "step": step + 1,
            "steps": answering.steps,
            **context,
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@_renews_session
def start(request: MunicipalityRequest) -> HttpResponse:
    """Choose the language (and, in a user survey, who is answering)."""
    answering = _answering(request)
    if isinstance(answering, HttpResponse):
        return answering
    spec, draft = answering.spec, answering.draft
    if request.method == "POST":
        form = StartForm(request.POST, spec=spec)
        pausing = request.POST.get("action") == PAUSE
        if form.is_valid():
            language = form.cleaned_data["language"]
            services.draft_save(
                draft=draft,
                spec=spec,
                language=language,
                on_behalf=form.cleaned_data.get("on_behalf", False),
                step=max(draft.step, 1),
            )
            response = (
                redirect("answer:paused") if pausing else redirect("answer:section", number=1)
            )
            _set_language_cookie(response, language)
            return response
        if pausing:  # nothing chosen yet, so nothing to keep
            return redirect("answer:paused")
        status = 400
    else:
        form = StartForm(spec=spec)
        status = 200
    if form.is_bound:
        chosen_language = str(form.data.get("language", ""))
        chosen_on_behalf = str(form.data.get("on_behalf", ""))
    else:
        chosen_language = draft.language  # the preferred language at first
        chosen_on_behalf = "yes" if draft.on_behalf else "no"
    context = {
        "form": form,
        "languages": [(code, _language_name(code)) for code in spec.languages],
        "chosen_language": chosen_language,
        "who_choices": form.fields["on_behalf"].choices if "on_behalf" in form.fields else [],  # type: ignore[attr-defined]
        "chosen_on_behalf": chosen_on_behalf,
    }
    return _page(request, answering, "surveys/answer/start.html", 0, context, status)


def _language_name(code: str) -> str:
    """Each language in its own words, so that a reader finds theirs whatever page language."""
    return {"nb": "Norsk bokmål", "nn": "Norsk nynorsk", "en": "English"}.get(code, code)


@never_cache
@require_http_methods(["GET", "POST"])
@_renews_session
def section(request: MunicipalityRequest, number: int) -> HttpResponse:
    answering = _answering(request)
    if isinstance(answering, HttpResponse):
        return answering
    spec, draft = answering.spec, answering.draft
    if not 1 <= number <= len(spec.sections):
        return redirect(_step_url(answering, draft.step))
    current = spec.sections[number - 1]
    back_to_summary = request.GET.get("fra") == SUMMARY or request.POST.get("fra") == SUMMARY
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ("back", "pause"):
            action = "next"  # anything else, even a tampered value, must pass the checks
        form = SectionForm(request.POST, spec=spec, sections=(current,), strict=action == "next")
        if form.is_valid():
            next_step = number + 1
            services.draft_save(
                draft=draft,
                spec=spec,
                language=translation.get_language(),
                scores=form.scores(),
                importance=form.importance(),
                texts=form.texts(),
                step=max(draft.step, next_step) if action == "next" else max(draft.step, number),
            )
            if action == "back":
                return redirect(_step_url(answering, number - 1))
            if action == "pause":
                return redirect("answer:paused")
            if back_to_summary:
                return redirect("answer:summary")
            return redirect(_step_url(answering, next_step))
        status = 400
    else:
        form = None
        status = 200
    blocks = _blocks(answering, current, form)
    return _page(
        request,
        answering,
        "surveys/answer/section.html",
        number,
        {
            "section": current,
            "number": number,
            "form": form,
            "blocks_html": rendering.blocks(blocks),
            "error_links": _error_links(blocks),
            "back_to_summary": back_to_summary,
        },
        status,
    )


def _error_links(blocks: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(field name, message) for the error summary at the top of a section page."""
    links = []
    for block in blocks:
        links += [(block["name"], error) for error in block["errors"]]
        if block.get("importance"):
            links += [(block["importance"]["name"], e) for e in block["importance"]["errors"]]
    return links


def _blocks(
    answering: Answering, section: Section, form: SectionForm | None
) -> list[dict[str, Any]]:
    """What the section template draws: each statement with its choices, marked as the
    respondent left them (from the draft, or from what they just sent)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    spec, draft = answering.spec, answering.draft
    scale, importance_scale = spec.scale, spec.importance

    def chosen(name: str, stored: str) -> str:
        if form is None:
            return stored
        return str(form.data.get(name, ""))

    def errors(name: str) -> Any:
        return form.errors.get(name, []) if form is not None else []

    blocks: list[dict[str, Any]] = []
    for statement in section.statements:
        name = statement_field(statement)
        value = chosen(name, answers.value_at(draft.scores, statement))
        block: dict[str, Any] = {
            "statement": statement,
            "text": statement.text.get(language),
            "name": name,
            "options": _options(scale, language, value),
            "dont_know": (DONT_KNOW, scale.dont_know.get(language), value == DONT_KNOW)
            if scale.dont_know
            else None,
            "errors": errors(name),
        }
        if statement.importance and importance_scale is not None:
            iname = importance_field(statement)
            ivalue = chosen(iname, answers.value_at(draft.importance, statement))
            block["importance"] = {
                "name": iname,
                "question": importance_scale.question.get(language)
                if importance_scale.question
                else "",
                "options": _options(importance_scale, language, ivalue),
                "errors": errors(iname),
            }
        blocks.append(block)
    for free_text in section.free_texts:
        name = text_field(free_text.key)
        blocks.append(
            {
                "free_text": free_text,
                "name": name,
                "label": free_text.label.get(language),
                "help": free_text.help.get(language) if free_text.help else "",
                "value": chosen(name, answering.draft.texts.get(free_text.key, "")),
                "errors": errors(name),
            }
        )
    return blocks


def _options(scale: Scale, language: str, value: str) -> list[tuple[str, str, bool]]:
    """A scale's points with their labels, the one in ``value`` marked as chosen."""
    return [
        (str(point), label.get(language), value == str(point))
        for point, label in zip(scale.values, scale.labels, strict=True)
    ]


@never_cache
@require_http_methods(["GET", "POST"])
@_renews_session
def summary(request: MunicipalityRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            sent = _access_code_from_cookie(request)
        except _Idle:
            sent = None
        if sent is not None and sent.used:
            # The second click of a double click: the first one sent the answers.
            return _to_thanks(sent)
    answering = _answering(request)
    if isinstance(answering, HttpResponse):
        return answering
    spec, draft = answering.spec, answering.draft
    if request.method == "POST" and request.POST.get("action") == PAUSE:
        return redirect("answer:paused")  # nothing is typed on this page
    if request.method == "POST":
        missing = answers.missing_required(spec, answers.fit(spec, draft.scores))
        if missing:
            first = missing[0]
            for index, section_ in enumerate(spec.sections, start=1):
                if first in section_.statements:
                    messages.error(
                        request,
                        _("Statement %(number)s must be answered before you send.")
                        % {"number": first.number},
                    )
                    return redirect("answer:section", number=index)
        return _submit(request, answering)
    language = translation.get_language() or settings.LANGUAGE_CODE
    return _page(
        request,
        answering,
        "surveys/answer/summary.html",
        len(spec.sections) + 1,
        {"sections": _summary_rows(spec, draft, language)},
    )


def _submit(request: MunicipalityRequest, answering: Answering) -> HttpResponse:
    try:
        services.response_submit(access_code=answering.access_code)
    except services.AlreadySubmitted:
        pass  # a second click on "send": the first one made the response
    except services.RoundNotAccepting as exc:
        return _round_status(request, exc.round)
    return _to_thanks(answering.access_code)


def _to_thanks(access_code: AccessCode) -> HttpResponse:
    round_ = access_code.round
    questionnaire = (
        round_.relatives_questionnaire_id
        if access_code.is_relative and round_.relatives_questionnaire_id
        else round_.questionnaire_id
    )
    response = redirect("answer:thanks", questionnaire=questionnaire)
    response.delete_cookie(COOKIE, path="/svar/")
    return response


def _summary_rows(
    spec: QuestionnaireSpec, draft: services.OpenDraft, language: str
) -> list[dict[str, Any]]:
    scores = answers.fit(spec, draft.scores)
    importance = answers.fit(spec, draft.importance)
    labels = {
        str(p): label.get(language)
        for p, label in zip(spec.scale.values, spec.scale.labels, strict=True)
    }
    if spec.scale.dont_know is not None:
        labels[DONT_KNOW] = spec.scale.dont_know.get(language)
    importance_labels = (
        {
            str(p): label.get(language)
            for p, label in zip(spec.importance.values, spec.importance.labels, strict=True)
        }
        if spec.importance
        else {}
    )
    rows = []
    for number, section_ in enumerate(spec.sections, start=1):
        rows.append(
            {
                "number": number,
                "title": section_.title.get(language),
                "statements": [
                    {
                        "statement": s,
                        "text": s.text.get(language),
                        "answer": labels.get(answers.value_at(scores, s), ""),
                        "importance": importance_labels.get(answers.value_at(importance, s), "")
                        if s.importance
                        else None,
                    }
                    for s in section_.statements
                ],
                "texts": [
                    {"label": f.label.get(language), "text": draft.texts.get(f.key, "")}
                    for f in section_.free_texts
                ],
            }
        )
    return rows


@never_cache
def paused(request: MunicipalityRequest) -> HttpResponse:
    answering = _answering(request)
    if isinstance(answering, HttpResponse):
        return answering
    response = render(
        request, "surveys/answer/paused.html", {"round": answering.round, "answering": answering}
    )
    response.delete_cookie(COOKIE, path="/svar/")
    return response


def thanks(request: MunicipalityRequest, questionnaire: int) -> HttpResponse:
    found = (
        Questionnaire.objects.filter(pk=questionnaire)
        .filter(rounds__municipality=request.municipality)
        .first()
        or Questionnaire.objects.filter(
            pk=questionnaire, relatives_rounds__municipality=request.municipality
        ).first()
    )
    language = translation.get_language() or settings.LANGUAGE_CODE
    thanks_text = found.spec.thanks.get(language) if found and found.spec.thanks else ""
    return render(request, "surveys/answer/thanks.html", {"thanks_text": thanks_text})
