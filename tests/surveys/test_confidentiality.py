"""The promise in the invitation letter, point by point (PRODUCT.md, "Confidentiality of
answers"): "Alle svar vil bli behandlet konfidensielt. Ingen ved det enkelte tjenestested
vil få tilgang til enkeltbesvarelser."
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import timedelta
from itertools import product
from typing import Any
from urllib.parse import quote

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from medvirk.core.models import BackgroundTask
from medvirk.organisation.models import (
    AuditEntry,
    District,
    RoleAssignment,
    Service,
    ServiceArea,
    ServiceType,
    Unit,
    User,
)
from medvirk.surveys import services
from medvirk.surveys.models import (
    AccessCode,
    Audience,
    Draft,
    InvitedCount,
    Questionnaire,
    Recipient,
    Response,
    ResponseText,
    Round,
)
from medvirk.surveys.views.answering import COOKIE

from ..documents import readable_text
from ..factories import with_second_factor
from .conftest import Survey, import_people, make_round
from .test_answering import answer_everything, enter_code, in_english, started

SUBMITTED_MARKER = "Markør-svar-9c41e7 om nattevakten"
DRAFT_MARKER = "Markør-utkast-5b02d3 om maten"


def concrete_fields(model: type[models.Model]) -> dict[str, models.Field[Any, Any]]:
    return {f.name: f for f in model._meta.get_fields() if f.concrete}  # type: ignore[misc]


def submit(client: Client, survey: Survey, name: str, comment: str) -> None:
    enter_code(client, survey.codes[name])
    answer_everything(client, survey, comment=comment)
    client.post(reverse("answer:summary"))


def leave_a_draft(client: Client, survey: Survey, name: str, comment: str) -> None:
    started(client, survey, name=name)
    client.post(reverse("answer:section", args=[4]), {"action": "pause", "t-kommentar": comment})


def every_value_in_the_database() -> Iterator[str]:
    for model in apps.get_models(include_auto_created=True):
        for row in model._default_manager.values():
            for value in row.values():
                yield str(value)


def as_stored(code: str) -> set[str]:
    """The ways a printed code could show up: as printed and without its dash."""
    return {code, code.replace("-", "")}


# --- 1. a response holds no link to the recipient or the code ---------------------------


def test_response_has_exactly_the_anonymous_fields():
    assert set(concrete_fields(Response)) == {
        "id",
        "round",
        "questionnaire",
        "audience",
        "unit",
        "service_type",
        "mode",
        "on_behalf",
        "submitted_on",
        "scores",
        "importance",
    }


def test_response_has_no_relation_to_a_recipient_or_draft():
    related = {
        f.related_model for f in Response._meta.get_fields() if f.is_relation and f.related_model
    }

    assert related.isdisjoint({Recipient, Draft})


def test_only_its_free_texts_refer_to_a_response():
    referring = {f.related_model for f in Response._meta.get_fields() if f.auto_created}

    assert referring == {ResponseText}


def test_response_keeps_no_clock_time():
    timed = [
        name
        for name, field in concrete_fields(Response).items()
        if isinstance(field, models.DateTimeField | models.TimeField)
    ]

    assert timed == []


def test_response_keeps_the_submission_date_only():
    assert type(Response._meta.get_field("submitted_on")) is models.DateField


def test_response_keeps_no_address():
    addresses = [
        name
        for name, field in concrete_fields(Response).items()
        if isinstance(field, models.GenericIPAddressField)
    ]

    assert addresses == []


def test_no_response_field_is_named_for_an_address_device_code_or_person():
    suspicious = [
        name
        for name in concrete_fields(Response)
        if re.search("ip|agent|code|recipient|user|name|address", name)
    ]

    assert suspicious == []


def test_response_text_has_only_its_response_key_and_text():
    assert set(concrete_fields(ResponseText)) == {"id", "response", "key", "text"}


def test_response_id_is_random():
    assert isinstance(Response._meta.pk, models.UUIDField)


def test_response_text_id_does_not_tell_the_order_of_answers():
    # A counting id on the comments would order the responses that have one.
    assert isinstance(ResponseText._meta.pk, models.UUIDField)


def test_submitted_responses_get_random_ids(survey, respondent):
    submit(respondent, survey, "Åse Ødegård", "Fint.")
    submit(Client(HTTP_HOST="alpha.test"), survey, "Ola Nordmann", "Bra.")

    ids = [r.pk for r in Response.objects.all()]

    assert [i.version for i in ids] == [4, 4]


def test_recipient_has_no_relation_to_a_response():
    related = {
        f.related_model for f in Recipient._meta.get_fields() if f.is_relation and f.related_model
    }

    assert Response not in related
    assert ResponseText not in related


def test_recipient_keeps_only_whether_the_code_was_used_not_when():
    timed = [
        name
        for name, field in concrete_fields(Recipient).items()
        if isinstance(field, models.DateField | models.TimeField)
    ]

    assert timed == []


def test_submitting_marks_the_code_used(survey, respondent):
    submit(respondent, survey, "Åse Ødegård", "Fint.")

    assert survey.used("Åse Ødegård") is True


def test_submitting_deletes_the_draft(survey, respondent):
    submit(respondent, survey, "Åse Ødegård", "Fint.")

    assert survey.draft("Åse Ødegård") is None


def test_submitted_response_keeps_the_unit_service_and_audience_of_the_recipient(
    survey, respondent
):
    submit(respondent, survey, "Kari Hjemme", "Fint.")

    recipient = survey.recipient("Kari Hjemme")
    response = Response.objects.get()
    assert (response.unit_id, response.service_type_id, response.audience) == (
        recipient.unit_id,
        recipient.service_type_id,
        Audience.USERS,
    )


@pytest.fixture
def failing_draft_delete(monkeypatch):
    """Something inside the submission fails after the response has been created."""

    def fail(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Draft, "delete", fail)


@pytest.fixture
def half_answered(survey: Survey, respondent) -> AccessCode:
    """Åse has answered statement 1 and written a comment, and not sent yet."""
    started(respondent, survey)
    respondent.post(reverse("answer:section", args=[1]), {"action": "next", "s-s01": "2"})
    respondent.post(
        reverse("answer:section", args=[4]), {"action": "pause", "t-kommentar": "Så langt."}
    )
    return survey.access_code("Åse Ødegård")


def opened_draft(access_code: AccessCode) -> services.OpenDraft:
    opened = services.draft_open(AccessCode.objects.get(pk=access_code.pk))
    assert opened is not None
    return opened


def test_failed_submission_leaves_no_response(half_answered, failing_draft_delete):
    with pytest.raises(RuntimeError):
        services.response_submit(access_code=half_answered)

    assert (Response.objects.count(), ResponseText.objects.count()) == (0, 0)


def test_failed_submission_leaves_the_code_unused(half_answered, failing_draft_delete):
    with pytest.raises(RuntimeError):
        services.response_submit(access_code=half_answered)

    assert AccessCode.objects.get(pk=half_answered.pk).used is False


def test_failed_submission_leaves_the_draft_as_it_was(half_answered, failing_draft_delete):
    with pytest.raises(RuntimeError):
        services.response_submit(access_code=half_answered)

    draft = opened_draft(half_answered)
    assert (draft.scores[0], draft.texts) == ("2", {"kommentar": "Så langt."})


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_failed_submission_is_rolled_back_as_a_whole_transaction(
    half_answered, failing_draft_delete
):
    with pytest.raises(RuntimeError):
        services.response_submit(access_code=half_answered)

    assert (Response.objects.count(), AccessCode.objects.get(pk=half_answered.pk).used) == (
        0,
        False,
    )
    assert opened_draft(half_answered).texts == {"kommentar": "Så langt."}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="xmin is PostgreSQL's")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_recipient_row_is_written_by_the_transaction_that_makes_a_response(survey):
    # PostgreSQL stamps every row with the transaction that last wrote it (xmin); a
    # recipient written while someone answers would share its stamp with the response.
    submit(Client(HTTP_HOST="alpha.test"), survey, "Åse Ødegård", "Fint.")
    submit(Client(HTTP_HOST="alpha.test"), survey, "Ola Nordmann", "Bra.")

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM surveys_response response JOIN surveys_recipient recipient"
            " ON recipient.xmin = response.xmin"
        )
        (stamped,) = cursor.fetchone()

    assert stamped == 0


def test_answering_cookie_holds_no_code(survey, respondent):
    code = survey.codes["Åse Ødegård"]

    enter_code(respondent, code)

    value = respondent.cookies[COOKIE].value.upper()
    assert [form for form in as_stored(code) if form in value] == []


@pytest.mark.parametrize(
    "url",
    [
        reverse("answer:start"),
        reverse("answer:section", args=[1]),
        reverse("answer:summary"),
    ],
)
def test_answer_pages_are_not_kept_in_caches(survey, respondent, url):
    started(respondent, survey)

    response = respondent.get(url)

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_after_sending_the_answers_cannot_be_seen_again_in_that_browser(survey, respondent):
    submit(respondent, survey, "Åse Ødegård", SUBMITTED_MARKER)

    response = respondent.get(reverse("answer:summary"), follow=True)

    assert SUBMITTED_MARKER not in response.text


def test_after_pausing_the_answers_cannot_be_seen_in_that_browser_without_the_code(
    survey, respondent
):
    leave_a_draft(respondent, survey, "Åse Ødegård", DRAFT_MARKER)
    respondent.get(reverse("answer:paused"))

    response = respondent.get(reverse("answer:section", args=[4]), follow=True)

    assert DRAFT_MARKER not in response.text


# --- 2. no plain code is stored anywhere ------------------------------------------------


def test_no_plain_code_is_stored_after_import(survey):
    stored = " ".join(every_value_in_the_database()).upper()

    printed = {form for code in survey.codes.values() for form in as_stored(code)}
    assert [form for form in printed if form in stored] == []


def test_no_plain_code_is_stored_after_answering(survey, respondent):
    submit(respondent, survey, "Åse Ødegård", "Fint.")
    leave_a_draft(Client(HTTP_HOST="alpha.test"), survey, "Ola Nordmann", "Halvveis.")
    enter_code(Client(HTTP_HOST="alpha.test"), survey.codes["Per Pårørende"].lower())
    enter_code(Client(HTTP_HOST="alpha.test"), "ZZZZ-ZZZZ")

    stored = " ".join(every_value_in_the_database()).upper()

    printed = {form for code in survey.codes.values() for form in as_stored(code)}
    assert [form for form in printed if form in stored] == []


def test_no_plain_code_is_logged_while_answering(survey, respondent, caplog):
    caplog.set_level(logging.DEBUG)
    code = survey.codes["Åse Ødegård"]
    respondent.get(f"/svar?kode={code}")
    respondent.get(f"/svar/?kode={code}")
    enter_code(respondent, code.replace("-", "x"))
    answer_everything(respondent, survey)
    enter_code(respondent, code)
    answer_everything(respondent, survey)
    respondent.post(reverse("answer:summary"))
    enter_code(respondent, code)

    logged = caplog.text.upper()

    assert [form for form in as_stored(code) if form in logged] == []


# --- 3. recipients are purged after the round ------------------------------------------


@pytest.fixture
def closed_survey(survey: Survey) -> Survey:
    """The survey with one response, one draft, then closed."""
    submit(Client(HTTP_HOST="alpha.test"), survey, "Åse Ødegård", SUBMITTED_MARKER)
    leave_a_draft(Client(HTTP_HOST="alpha.test"), survey, "Ola Nordmann", DRAFT_MARKER)
    services.round_close(actor=None, round_=survey.round)
    return survey


def test_purge_before_the_round_closes_is_refused(survey):
    with pytest.raises(ValidationError):
        services.recipients_purge(actor=None, round_=survey.round)

    assert Recipient.objects.filter(round=survey.round).count() == 4


def test_purge_removes_every_recipient_of_the_round(closed_survey):
    services.recipients_purge(actor=None, round_=closed_survey.round)

    assert Recipient.objects.filter(round=closed_survey.round).count() == 0


def test_purge_removes_every_draft_of_the_round(closed_survey):
    services.recipients_purge(actor=None, round_=closed_survey.round)

    assert Draft.objects.count() == 0


def test_purge_keeps_how_many_were_invited_per_unit_service_and_audience(closed_survey, world):
    services.recipients_purge(actor=None, round_=closed_survey.round)

    # A service type may be none, which django-stubs does not see in values_list.
    kept: set[tuple[int, int | None, str, int]] = set(
        InvitedCount.objects.filter(round=closed_survey.round).values_list(
            "unit", "service_type", "audience", "invited"
        )
    )
    assert kept == {
        (world.unit.pk, None, Audience.USERS, 2),
        (world.unit.pk, None, Audience.RELATIVES, 1),
        (world.sibling.pk, None, Audience.USERS, 1),
    }


def test_purge_keeps_the_responses(closed_survey):
    services.recipients_purge(actor=None, round_=closed_survey.round)

    assert Response.objects.filter(round=closed_survey.round).count() == 1
    assert ResponseText.objects.get().text == SUBMITTED_MARKER


def test_purge_leaves_no_name_or_address_in_the_database(closed_survey):
    services.recipients_purge(actor=None, round_=closed_survey.round)

    stored = " ".join(every_value_in_the_database())
    personal = ["Åse Ødegård", "Ola Nordmann", "Bjørnstjerne Bjørnsons gate 12", "Konnerudgata 1"]
    assert [p for p in personal if p in stored] == []


def test_purge_leaves_other_rounds_recipients(closed_survey, world, questionnaires):
    other = make_round(world, questionnaires, name="Pårørendeundersøkelse 2026")
    import_people(other, "Kåre Annen;Storgata 9;3045;Drammen;n-shj;;nb;nei")

    services.recipients_purge(actor=None, round_=closed_survey.round)

    assert list(Recipient.objects.values_list("name", flat=True)) == ["Kåre Annen"]


def test_purge_after_the_closing_time_has_passed_is_allowed(survey):
    Round.objects.filter(pk=survey.round.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    round_ = Round.objects.get(pk=survey.round.pk)

    services.recipients_purge(actor=None, round_=round_)

    assert Recipient.objects.filter(round=round_).count() == 0


def test_code_of_a_purged_round_finds_no_one(closed_survey):
    services.recipients_purge(actor=None, round_=closed_survey.round)
    client = in_english(Client(HTTP_HOST="alpha.test"))

    response = enter_code(client, closed_survey.codes["Per Pårørende"])

    assert response.status_code == 400
    assert "We did not find this code" in response.text


# --- 4. no staff role can open a single response ---------------------------------------


def staff_routes() -> list[tuple[str, str]]:
    """Every URL pattern under /staff/, as (route with converters, url name)."""
    found: list[tuple[str, str]] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                found.append((prefix + str(pattern.pattern), pattern.name or ""))

    walk(get_resolver().url_patterns, "")
    return [(route, name) for route, name in found if route.startswith("staff/")]


PARAMETER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")


def about(url_name: str, ids: dict[str, list[Any]]) -> str:
    """Which kind of object a URL's ``pk`` is, from its name: ``service_area_edit`` →
    ``service_area``; "" when the name says none."""
    kinds = [kind for kind in ids if url_name.startswith(f"{kind}_")]
    return max(kinds, key=len, default="")


def fill(route: str, values: tuple[Any, ...]) -> str:
    filled = iter(values)
    return PARAMETER.sub(lambda _match: str(next(filled)), route)


# What a URL's text parameters can be (e.g. the letters' /text/invitation/users/nb/).
WORDS = {
    "kind": ["invitation", "reminder"],
    "audience": ["users", "relatives"],
    "language": ["nb", "nn", "en"],
}

# The objects other modules' URLs name, by the parameter (or the URL name's prefix).
MODULE_OBJECTS = {
    "council": "councils.Council",
    "member": "councils.Membership",
    "meeting": "councils.Meeting",
    "item": "councils.AgendaItem",
    "action": "councils.ImprovementAction",
    "registration": "councils.Registration",
    "review": "results.CommentReview",
}


def values_for(
    parameter: str,
    kind: str | None,
    subject: str,
    ids: dict[str, list[Any]],
    every_int: list[int],
) -> list[Any]:
    """What to try for one URL parameter: the words it can be, the objects it names, or,
    when it names none we know of, every id (an object of any kind)."""
    if parameter in WORDS:
        return WORDS[parameter]
    if parameter == "key":  # a results group: the whole area or a unit
        return ["area", *(f"unit-{pk}" for pk in ids["unit"])]
    if parameter == "year":
        return [timezone.localdate().year]
    if kind == "uuid":
        return ids["uuid"]
    if kind == "str":
        return ["x"]
    if subject in ids:
        # None there: one id that is no such object's, so the page is still asked for.
        return ids[subject] or [max(every_int, default=0) + 1]
    return every_int


def staff_urls(ids: dict[str, list[Any]]) -> list[str]:
    """Every staff URL filled in with every id that could fit: for ``pk`` the objects the
    URL's name is about, for other parameters the objects they name; any id otherwise."""
    every_int = sorted({i for key, values in ids.items() if key != "uuid" for i in values})
    urls = []
    for route, name in staff_routes():
        choices = []
        for match in PARAMETER.finditer(route):
            kind, parameter = match["kind"], match["name"]
            subject = parameter.removesuffix("_pk") if parameter != "pk" else about(name, ids)
            choices.append(values_for(parameter, kind, subject, ids, every_int))
        for values in product(*choices):
            urls.append("/" + fill(route, values))
    return urls


@pytest.fixture
def answered(survey, world) -> tuple[Survey, Response]:
    """A response with a comment, and a draft with another, in the world's unit."""
    submit(Client(HTTP_HOST="alpha.test"), survey, "Åse Ødegård", SUBMITTED_MARKER)
    leave_a_draft(Client(HTTP_HOST="alpha.test"), survey, "Ola Nordmann", DRAFT_MARKER)
    Service.objects.create(unit=world.unit, service_type=ServiceType.objects.earliest("pk"))
    return survey, Response.objects.get()


def ids_in_the_database(response: Response) -> dict[str, list[Any]]:
    return {
        "round": list(Round.objects.values_list("pk", flat=True)),
        "questionnaire": list(Questionnaire.objects.values_list("pk", flat=True)),
        "unit": list(Unit.objects.values_list("pk", flat=True)),
        "user": list(User.objects.values_list("pk", flat=True)),
        "role": list(User.objects.values_list("pk", flat=True)),
        "assignment": list(RoleAssignment.objects.values_list("pk", flat=True)),
        "district": list(District.objects.values_list("pk", flat=True)),
        "service": list(Service.objects.values_list("pk", flat=True)),
        "service_area": list(ServiceArea.objects.values_list("pk", flat=True)),
        "service_type": list(ServiceType.objects.values_list("pk", flat=True)),
        "recipient": list(Recipient.objects.values_list("pk", flat=True)),
        "uuid": [response.pk, *BackgroundTask.objects.values_list("pk", flat=True)],
        **{
            subject: list(apps.get_model(label).objects.values_list("pk", flat=True))
            for subject, label in MODULE_OBJECTS.items()
        },
    }


def test_staff_url_list_covers_the_survey_pages(answered):
    survey, response = answered

    urls = staff_urls(ids_in_the_database(response))

    round_pk = survey.round.pk
    assert f"/staff/surveys/{round_pk}/" in urls
    assert f"/staff/surveys/{round_pk}/enter/" in urls
    assert f"/staff/tasks/{response.pk}/" in urls


def shows_a_response(client: Client, url: str, response: Response) -> list[str]:
    """What of the response (or the draft) the page at ``url`` shows. The page may repeat
    its own address (a login link, the language form), which is no leak."""
    page = client.get(url)
    body = readable_text(page.content, page.get("Content-Type", ""))
    body = body.replace(url, "").replace(quote(url, safe=""), "")
    traces = [SUBMITTED_MARKER, DRAFT_MARKER, str(response.pk), response.pk.hex]
    return [trace for trace in traces if trace in body]


@pytest.mark.parametrize(
    "role",
    ["admin", "adviser", "manager", "staff", "council", "politician", "nobody", "beta_admin"],
)
def test_no_staff_page_shows_a_single_response(answered, client_for, role):
    _survey, response = answered
    client = client_for(role)

    shown = {
        url: shows_a_response(client, url, response)
        for url in staff_urls(ids_in_the_database(response))
    }

    assert {url: traces for url, traces in shown.items() if traces} == {}


def test_no_staff_page_of_a_unit_manager_lists_who_has_answered(answered, client_for):
    _survey, response = answered
    client = client_for("manager")

    bodies = " ".join(
        client.get(url).content.decode() for url in staff_urls(ids_in_the_database(response))
    )

    assert "Åse Ødegård" not in bodies


@pytest.fixture
def superuser_client(world) -> Client:
    superuser = User.objects.create_superuser("root", "root@example.test", "not-used-1234")
    client = Client(HTTP_HOST="alpha.test")
    client.force_login(with_second_factor(superuser))
    return client


def admin_urls() -> list[str]:
    return [reverse("admin:index")] + [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]


def test_django_admin_shows_no_single_response(answered, superuser_client):
    _survey, response = answered

    shown = {url: shows_a_response(superuser_client, url, response) for url in admin_urls()}

    assert {url: traces for url, traces in shown.items() if traces} == {}


def test_django_admin_pages_open_for_a_superuser(answered, superuser_client):
    statuses = {superuser_client.get(url).status_code for url in admin_urls()}

    assert statuses == {200}


@pytest.mark.parametrize("model", [Response, ResponseText, Draft, Recipient, AccessCode])
def test_survey_answers_and_recipients_are_not_in_the_django_admin(model):
    assert admin.site.is_registered(model) is False


# --- the audit log ---------------------------------------------------------------------


def test_answering_writes_nothing_to_the_audit_log(survey, respondent):
    before = AuditEntry.objects.count()

    submit(respondent, survey, "Åse Ødegård", "Fint.")
    leave_a_draft(Client(HTTP_HOST="alpha.test"), survey, "Ola Nordmann", "Halvveis.")

    assert AuditEntry.objects.count() == before


def test_audit_log_names_no_respondent_code_or_response(survey, respondent):
    submit(respondent, survey, "Åse Ødegård", SUBMITTED_MARKER)
    response = Response.objects.get()
    services.round_close(actor=None, round_=survey.round)
    services.recipients_purge(actor=None, round_=survey.round)

    logged = " ".join(str(row) for row in AuditEntry.objects.values())

    traces = [
        "Åse Ødegård",
        *as_stored(survey.codes["Åse Ødegård"]),
        str(response.pk),
        response.pk.hex,
        SUBMITTED_MARKER,
    ]
    assert [trace for trace in traces if trace in logged] == []


def test_paper_entry_with_a_code_logs_neither_the_code_nor_the_response(survey, world):
    code = survey.codes["Kari Hjemme"]
    spec = survey.questionnaire.spec

    entered = services.response_enter(
        actor=world.people["adviser"],
        round_=survey.round,
        mode="paper",
        unit=None,
        service_type=None,
        audience=Audience.USERS,
        on_behalf=False,
        scores="3" * len(spec.statements),
        importance="-" * len(spec.statements),
        texts={},
        code=code,
    )

    logged = " ".join(str(row) for row in AuditEntry.objects.values())
    traces = [*as_stored(code), "Kari Hjemme", str(entered.pk), entered.pk.hex]
    assert [trace for trace in traces if trace in logged] == []
