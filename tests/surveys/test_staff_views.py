"""The staff pages of surveys as each role sees them: rounds, their forms and buttons, the
recipient import through a background task, paper entry and the staff menu.

Ids from outside the user's scope (a round of municipality B, a round of another service
area, a round without the manager's unit) are not found (404); a page the user can see
exists but may not open is refused (403). Texts are read in English (the source texts),
chosen with the language cookie, since translations may lag behind.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from medvirk.core import tasks
from medvirk.core.models import BackgroundTask
from medvirk.organisation.models import Role, Unit
from medvirk.surveys import services
from medvirk.surveys.models import (
    Questionnaire,
    Recipient,
    Response,
    ResponseText,
    Round,
    RoundUnit,
)

from ..factories import RoleAssignmentFactory, UserFactory
from .conftest import Survey, access_code_of, csv_bytes, import_people, make_round

ROLES = ["admin", "adviser", "manager", "staff", "council", "politician"]
VIEWERS = {"admin", "adviser", "manager"}
RUNNERS = {"admin", "adviser"}
OSLO = ZoneInfo("Europe/Oslo")

USER_SURVEY = "hso-brukerundersokelse-2016"
RELATIVES_SURVEY = "hso-parorendeundersokelse"

ROW_AT_UNIT = "Åse Ødegård;Bjørnstjerne Bjørnsons gate 12;3045;Drammen;n-shj;;nb;nei"
ROW_AT_SIBLING = "Kari Hjemme;Engene 5;3015;Drammen;n-hjt;;nn;nei"
ROW_WITH_BAD_POSTAL_CODE = "Ola Feil;Storgata 1;30A;Drammen;n-shj;;nb;nei"

# Pages of one round, opened with GET, and the buttons and forms that change it (POST).
ROUND_PAGES = [
    "surveys:round_detail",
    "surveys:round_edit",
    "surveys:round_import",
    "surveys:round_enter",
    "surveys:round_purge",
]
ROUND_POSTS = [
    "surveys:round_edit",
    "surveys:round_import",
    "surveys:round_enter",
    "surveys:round_open",
    "surveys:round_close",
    "surveys:round_purge",
]


def in_english(client: Client) -> Client:
    client.cookies["medvirk_language"] = "en"
    return client


@pytest.fixture
def draft(world, questionnaires) -> Round:
    """A draft round of the unit and its sibling, each with a contact, and no recipients."""
    return make_round(world, questionnaires, name="Høstundersøkelse 2026")


@pytest.fixture
def other_open_round(world, questionnaires) -> tuple[Round, dict[str, str]]:
    """A second open round in municipality A, with its own recipients and codes."""
    round_ = make_round(world, questionnaires, name="Helsehuset 2026", units=[world.loose_unit])
    people = import_people(round_, "Liv Lund;Parkveien 2;3040;Drammen;hh;;nb;nei")
    services.round_open(actor=None, round_=round_)
    return round_, people


def url(name: str, round_: Round) -> str:
    return reverse(name, args=[round_.pk])


def round_form(world, questionnaires, **changes: object) -> dict[str, object]:
    """The new-round form as an adviser fills it in; ``changes`` replace fields."""
    data: dict[str, object] = {
        "name": "Brukerundersøkelse 2026",
        "service_area": world.area.pk,
        "questionnaire": questionnaires[USER_SURVEY].pk,
        "relatives_questionnaire": questionnaires[RELATIVES_SURVEY].pk,
        "opens_at": "2026-10-17T08:00",
        "closes_at": "2026-11-04T23:59",
        "units": [world.unit.pk, world.sibling.pk],
        "contact_name": "Kari Nordmann",
        "contact_phone": "32 04 01 00",
        "contact_hours": "08.00–16.00",
    }
    data.update(changes)
    return data


def local(value: datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def upload(*rows: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("mottakere.csv", csv_bytes(*rows), content_type="text/csv")


def task_from(redirect_to: str) -> BackgroundTask:
    match = re.fullmatch(r"/staff/tasks/([0-9a-f-]{36})/", redirect_to)
    assert match is not None, redirect_to
    return BackgroundTask.objects.get(pk=match.group(1))


def paper_form(survey: Survey, **changes: str) -> dict[str, str]:
    """A whole user form typed in: 4 on every statement, 5 on its importance, a comment."""
    data = {"mode": "paper", "language": "nb", "unit": str(Unit.objects.get(code="n-shj").pk)}
    for statement in survey.questionnaire.spec.statements:
        data[f"s-{statement.key}"] = "4"
        data[f"i-{statement.key}"] = "5"
    data["t-kommentar"] = "Fin hjelp hver dag."
    data.update(changes)
    return data


# --- who opens what --------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("page", "allowed"),
    [
        ("surveys:rounds", VIEWERS),
        ("surveys:round_create", RUNNERS),
        ("surveys:questionnaires", RUNNERS),
    ],
)
def test_survey_pages_per_role(client_for, role, page, allowed):
    response = client_for(role).get(reverse(page))

    assert response.status_code == (200 if role in allowed else 403)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("page", "allowed"),
    [
        ("surveys:round_detail", VIEWERS),
        ("surveys:round_edit", RUNNERS),
        ("surveys:round_import", RUNNERS),
        ("surveys:round_enter", RUNNERS),
        ("surveys:round_purge", RUNNERS),
    ],
)
def test_round_pages_per_role(client_for, survey: Survey, role, page, allowed):
    response = client_for(role).get(url(page, survey.round))

    assert response.status_code == (200 if role in allowed else 403)


@pytest.mark.parametrize("role", ROLES)
def test_contact_page_per_role(client_for, world, survey: Survey, role):
    response = client_for(role).get(
        reverse("surveys:round_contact", args=[survey.round.pk, world.sibling.pk])
    )

    assert response.status_code == (200 if role in RUNNERS else 403)


@pytest.mark.parametrize("role", ["manager", "staff", "council", "politician"])
@pytest.mark.parametrize(
    "action", ["surveys:round_open", "surveys:round_close", "surveys:round_purge"]
)
def test_round_buttons_are_refused_to_roles_that_do_not_run_rounds(
    client_for, survey: Survey, role, action
):
    response = client_for(role).post(url(action, survey.round))

    assert response.status_code == 403
    assert Round.objects.get(pk=survey.round.pk).state == Round.State.OPEN
    assert Recipient.objects.filter(round=survey.round).count() == 4


@pytest.mark.parametrize("role", ["manager", "staff", "council", "politician"])
def test_paper_entry_is_refused_to_roles_that_do_not_run_rounds(client_for, survey: Survey, role):
    response = client_for(role).post(url("surveys:round_enter", survey.round), paper_form(survey))

    assert response.status_code == 403
    assert not Response.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_questionnaire_page_per_role(client_for, questionnaires, role):
    response = client_for(role).get(questionnaires[USER_SURVEY].get_absolute_url())

    assert response.status_code == (200 if role in RUNNERS else 403)


@pytest.mark.parametrize("role", ROLES)
def test_questionnaire_text_editor_per_role(client_for, world, questionnaires, role):
    copy = services.questionnaire_copy(
        actor=None, municipality=world.alpha, source=questionnaires[USER_SURVEY]
    )

    response = client_for(role).get(reverse("surveys:questionnaire_edit", args=[copy.pk]))

    assert response.status_code == (200 if role in RUNNERS else 403)


@pytest.mark.parametrize("role", ROLES)
def test_questionnaire_copy_button_per_role(client_for, world, questionnaires, role):
    source = questionnaires[USER_SURVEY]

    response = client_for(role).post(reverse("surveys:questionnaire_copy", args=[source.pk]))

    assert response.status_code == (302 if role in RUNNERS else 403)
    assert Questionnaire.objects.filter(municipality=world.alpha).exists() == (role in RUNNERS)


@pytest.mark.parametrize("role", ["admin", "adviser"])
def test_built_in_questionnaire_text_editor_is_refused_even_to_runners(
    client_for, questionnaires, role
):
    built_in = questionnaires[USER_SURVEY]

    response = client_for(role).get(reverse("surveys:questionnaire_edit", args=[built_in.pk]))

    assert response.status_code == 403


def test_signed_out_visitor_is_sent_to_sign_in(anonymous):
    response = anonymous.get(reverse("surveys:rounds"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_user_without_a_role_is_refused(client_for):
    response = client_for("nobody").get(reverse("surveys:rounds"))

    assert response.status_code == 403


# --- ids outside the user's scope ------------------------------------------------------


@pytest.mark.parametrize("page", ROUND_PAGES)
def test_adviser_does_not_find_a_round_of_another_service_area(client_for, school_round, page):
    response = client_for("adviser").get(url(page, school_round))

    assert response.status_code == 404


@pytest.mark.parametrize("page", ROUND_POSTS)
def test_adviser_cannot_change_a_round_of_another_service_area(client_for, school_round, page):
    response = client_for("adviser").post(url(page, school_round), {"name": "Overtatt"})

    assert response.status_code == 404
    stored = Round.objects.get(pk=school_round.pk)
    assert (stored.name, stored.state) == ("Elevundersøkelse 2026", Round.State.DRAFT)


@pytest.mark.parametrize("page", ROUND_PAGES)
def test_administrator_of_a_does_not_find_a_round_of_b(client_for, beta_round, page):
    response = client_for("admin").get(url(page, beta_round))

    assert response.status_code == 404


@pytest.mark.parametrize("page", ROUND_POSTS)
def test_administrator_of_a_cannot_change_a_round_of_b(client_for, beta_round, page):
    response = client_for("admin").post(url(page, beta_round), {"name": "Overtatt"})

    assert response.status_code == 404
    assert Round.objects.get(pk=beta_round.pk).name == "Beta brukerundersøkelse"


def test_administrator_of_b_is_refused_on_the_host_of_a(client_for, beta_round):
    response = client_for("beta_admin").get(url("surveys:round_detail", beta_round))

    assert response.status_code == 403


def test_administrator_of_b_opens_the_round_of_b_on_its_own_host(client_for, beta_round):
    response = client_for("beta_admin", host="beta.test").get(
        url("surveys:round_detail", beta_round)
    )

    assert response.status_code == 200


def test_manager_does_not_find_a_round_without_their_unit(client_for, sibling_round):
    response = client_for("manager").get(url("surveys:round_detail", sibling_round))

    assert response.status_code == 404


def test_contact_page_of_a_unit_outside_the_round_is_not_found(client_for, world, survey):
    response = client_for("adviser").get(
        reverse("surveys:round_contact", args=[survey.round.pk, world.loose_unit.pk])
    )

    assert response.status_code == 404


def test_administrator_of_a_does_not_find_a_task_of_b(client_for, world, beta_round):
    task = tasks.enqueue(
        kind="surveys.import_recipients",
        municipality=world.beta,
        actor=world.people["beta_admin"],
        params={"round": beta_round.pk, "skip_invalid": False},
        payload=csv_bytes(),
    )

    response = client_for("admin").get(reverse("core:task_status", args=[task.pk]))

    assert response.status_code == 404


# --- the round list and a round's page -------------------------------------------------


@pytest.mark.parametrize(
    ("role", "listed", "hidden"),
    [
        ("admin", {"Brukerundersøkelse 2026", "Elevundersøkelse 2026"}, set()),
        ("adviser", {"Brukerundersøkelse 2026", "Hjemmetjenesten 2026"}, {"Elevundersøkelse"}),
        ("manager", {"Brukerundersøkelse 2026"}, {"Hjemmetjenesten", "Elevundersøkelse"}),
    ],
)
def test_round_list_shows_only_the_rounds_in_scope(
    client_for, survey, sibling_round, school_round, beta_round, role, listed, hidden
):
    page = client_for(role).get(reverse("surveys:rounds")).text

    assert all(name in page for name in listed)
    assert not any(name in page for name in hidden)
    assert "Beta brukerundersøkelse" not in page


@pytest.mark.parametrize("role", ["admin", "adviser", "manager"])
def test_round_list_offers_a_new_round_only_to_runners(client_for, survey, role):
    page = client_for(role).get(reverse("surveys:rounds")).text

    assert (reverse("surveys:round_create") in page) == (role in RUNNERS)


def test_round_list_shows_invited_and_responses(client_for, survey: Survey):
    page = in_english(client_for("adviser")).get(reverse("surveys:rounds")).text

    assert '<td class="num">4</td>' in page
    assert '<td class="num">0</td>' in page


def test_manager_sees_their_own_units_row_but_not_the_siblings(client_for, world, survey):
    page = client_for("manager").get(url("surveys:round_detail", survey.round)).text

    assert world.unit.name in page
    assert world.sibling.name not in page


def test_manager_sees_no_buttons_that_change_the_round(client_for, survey: Survey):
    page = client_for("manager").get(url("surveys:round_detail", survey.round)).text

    assert url("surveys:round_edit", survey.round) not in page
    assert url("surveys:round_close", survey.round) not in page
    assert url("surveys:round_enter", survey.round) not in page


def test_adviser_sees_every_units_row_and_the_buttons(client_for, world, survey: Survey):
    page = client_for("adviser").get(url("surveys:round_detail", survey.round)).text

    assert world.unit.name in page
    assert world.sibling.name in page
    assert url("surveys:round_close", survey.round) in page
    assert url("surveys:round_enter", survey.round) in page


def test_manager_round_page_counts_only_their_own_units(client_for, survey: Survey):
    """Product bug: the totals are the whole round's, so a manager reads the sibling's
    numbers as the total minus their own row (3 of 4 invited are at the manager's unit)."""
    page = in_english(client_for("manager")).get(url("surveys:round_detail", survey.round)).text

    assert "<dt>Invited</dt><dd>3</dd>" in page
    assert "<dt>Invited</dt><dd>4</dd>" not in page


def test_manager_round_list_counts_only_their_own_units(client_for, survey: Survey):
    """Product bug: as on the round's page, the list shows the whole round's totals."""
    page = in_english(client_for("manager")).get(reverse("surveys:rounds")).text

    assert '<td class="num">3</td>' in page
    assert '<td class="num">4</td>' not in page


def test_draft_round_page_lists_what_is_missing_before_it_opens(client_for, draft):
    page = in_english(client_for("adviser")).get(url("surveys:round_detail", draft)).text

    assert "Before the round can open" in page
    assert "The round has no recipients. Import the recipient list." in page


# --- the staff menu --------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_staff_menu_offers_surveys_to_the_roles_that_may_view_rounds(client_for, role):
    page = in_english(client_for(role)).get(reverse("organisation:structure")).text

    assert (f'<a href="{reverse("surveys:rounds")}">Surveys</a>' in page) == (role in VIEWERS)


def test_staff_menu_marks_surveys_as_the_current_page(client_for, survey: Survey):
    page = in_english(client_for("adviser")).get(url("surveys:round_detail", survey.round)).text

    assert f'<a href="{reverse("surveys:rounds")}" aria-current="page">Surveys</a>' in page


# --- creating and editing a round ------------------------------------------------------


def test_adviser_creates_a_round_through_the_form(client_for, world, questionnaires):
    response = client_for("adviser").post(
        reverse("surveys:round_create"), round_form(world, questionnaires)
    )

    round_ = Round.objects.get()
    assert response.status_code == 302
    assert response["Location"] == round_.get_absolute_url()
    assert (round_.name, round_.state, round_.created_by) == (
        "Brukerundersøkelse 2026",
        Round.State.DRAFT,
        world.people["adviser"],
    )
    assert round_.opens_at == datetime(2026, 10, 17, 8, 0, tzinfo=OSLO)
    assert round_.closes_at == datetime(2026, 11, 4, 23, 59, tzinfo=OSLO)
    assert {(ru.unit.code, ru.contact_name) for ru in round_.round_units.all()} == {
        ("n-shj", "Kari Nordmann"),
        ("n-hjt", "Kari Nordmann"),
    }


def test_new_round_with_errors_keeps_what_was_typed_and_says_what_to_fix(
    client_for, world, questionnaires
):
    client = in_english(client_for("adviser"))

    response = client.post(
        reverse("surveys:round_create"),
        round_form(
            world,
            questionnaires,
            name="Høstrunden",
            opens_at="2026-11-04T08:00",
            closes_at="2026-10-17T08:00",
        ),
    )

    assert response.status_code == 400
    assert "The round must close after it opens." in response.text
    assert 'value="Høstrunden"' in response.text
    assert 'value="2026-11-04T08:00"' in response.text
    assert 'value="2026-10-17T08:00"' in response.text
    assert 'value="Kari Nordmann"' in response.text
    assert not Round.objects.exists()


def test_new_round_without_units_is_refused(client_for, world, questionnaires):
    response = client_for("adviser").post(
        reverse("surveys:round_create"), round_form(world, questionnaires, units=[])
    )

    assert response.status_code == 400
    assert not Round.objects.exists()


def test_adviser_cannot_create_a_round_in_another_service_area(client_for, world, questionnaires):
    response = client_for("adviser").post(
        reverse("surveys:round_create"),
        round_form(world, questionnaires, service_area=world.other_area.pk),
    )

    assert response.status_code == 400
    assert not Round.objects.exists()


def test_new_round_refuses_a_unit_of_another_municipality(client_for, world, questionnaires):
    response = client_for("admin").post(
        reverse("surveys:round_create"),
        round_form(world, questionnaires, units=[world.unit.pk, world.foreign_unit.pk]),
    )

    assert response.status_code == 400
    assert not Round.objects.exists()


def test_new_round_with_a_name_in_use_is_refused_with_a_message(
    client_for, world, questionnaires, draft
):
    response = client_for("adviser").post(
        reverse("surveys:round_create"), round_form(world, questionnaires, name=draft.name)
    )

    assert response.status_code == 400
    assert Round.objects.count() == 1


def test_creating_a_round_through_the_form_is_audited(client_for, world, questionnaires):
    client_for("adviser").post(reverse("surveys:round_create"), round_form(world, questionnaires))

    entry = world.alpha.audit_entries.get(action="round.create")
    assert entry.actor == world.people["adviser"]


def test_draft_round_is_edited_with_its_units(client_for, world, questionnaires, draft):
    response = client_for("adviser").post(
        url("surveys:round_edit", draft),
        round_form(
            world,
            questionnaires,
            name="Høst 2026",
            units=[world.unit.pk, world.sibling.pk, world.loose_unit.pk],
        ),
    )

    stored = Round.objects.get(pk=draft.pk)
    assert response.status_code == 302
    assert stored.name == "Høst 2026"
    assert stored.opens_at == datetime(2026, 10, 17, 8, 0, tzinfo=OSLO)
    assert {u.code for u in stored.units.all()} == {"n-shj", "n-hjt", "hh"}


def test_open_round_changes_its_name_and_closing_time_on_the_edit_page(client_for, survey: Survey):
    later = survey.round.closes_at + timedelta(days=7)

    response = client_for("adviser").post(
        url("surveys:round_edit", survey.round),
        {"name": "Brukerundersøkelse vår", "closes_at": local(later)},
    )

    stored = Round.objects.get(pk=survey.round.pk)
    assert response.status_code == 302
    assert stored.name == "Brukerundersøkelse vår"
    assert local(stored.closes_at) == local(later)


def test_edit_page_of_an_open_round_offers_only_name_and_closing_time(client_for, survey: Survey):
    page = client_for("adviser").get(url("surveys:round_edit", survey.round)).text

    assert 'name="name"' in page
    assert 'name="closes_at"' in page
    assert 'name="opens_at"' not in page
    assert 'name="units"' not in page


def test_open_round_refuses_a_closing_time_in_the_past_on_the_edit_page(client_for, survey: Survey):
    before = survey.round.closes_at

    response = in_english(client_for("adviser")).post(
        url("surveys:round_edit", survey.round),
        {
            "name": "Brukerundersøkelse 2026",
            "closes_at": local(timezone.now() - timedelta(hours=1)),
        },
    )

    assert response.status_code == 400
    assert "The closing time must be in the future. Close the round instead." in response.text
    assert Round.objects.get(pk=survey.round.pk).closes_at == before


def test_closed_round_cannot_be_edited(client_for, survey: Survey):
    services.round_close(actor=None, round_=survey.round)

    response = in_english(client_for("adviser")).post(
        url("surveys:round_edit", survey.round), {"name": "Nytt navn"}, follow=True
    )

    assert "A closed round cannot change." in response.text
    assert Round.objects.get(pk=survey.round.pk).name == "Brukerundersøkelse 2026"


def test_contact_person_of_a_unit_is_changed(client_for, world, survey: Survey):
    response = client_for("adviser").post(
        reverse("surveys:round_contact", args=[survey.round.pk, world.sibling.pk]),
        {"name": "Per Hansen", "phone": "32 04 02 00", "hours": "Hverdager 09–15"},
    )

    stored = RoundUnit.objects.get(round=survey.round, unit=world.sibling)
    assert response.status_code == 302
    assert (stored.contact_name, stored.contact_phone, stored.contact_hours) == (
        "Per Hansen",
        "32 04 02 00",
        "Hverdager 09–15",
    )


def test_contact_form_without_a_phone_is_refused_and_keeps_the_name(
    client_for, world, survey: Survey
):
    response = client_for("adviser").post(
        reverse("surveys:round_contact", args=[survey.round.pk, world.sibling.pk]),
        {"name": "Per Hansen", "phone": "", "hours": "9–15"},
    )

    assert response.status_code == 400
    assert 'value="Per Hansen"' in response.text
    assert RoundUnit.objects.get(round=survey.round, unit=world.sibling).contact_name == (
        "Kari Nordmann"
    )


# --- open, close, purge ----------------------------------------------------------------


def test_open_button_opens_a_ready_round(client_for, draft):
    import_people(draft, ROW_AT_UNIT, ROW_AT_SIBLING)

    response = in_english(client_for("adviser")).post(url("surveys:round_open", draft), follow=True)

    assert response.redirect_chain == [(draft.get_absolute_url(), 302)]
    assert "The round is open." in response.text
    assert Round.objects.get(pk=draft.pk).state == Round.State.OPEN


def test_open_button_on_a_round_without_recipients_says_what_is_missing(client_for, draft):
    response = in_english(client_for("adviser")).post(url("surveys:round_open", draft), follow=True)

    assert "The round has no recipients. Import the recipient list." in response.text
    assert Round.objects.get(pk=draft.pk).state == Round.State.DRAFT


def test_open_button_does_not_answer_a_get(client_for, draft):
    import_people(draft, ROW_AT_UNIT)

    response = client_for("adviser").get(url("surveys:round_open", draft))

    assert response.status_code == 405
    assert Round.objects.get(pk=draft.pk).state == Round.State.DRAFT


def test_close_button_closes_the_round(client_for, survey: Survey):
    response = in_english(client_for("adviser")).post(
        url("surveys:round_close", survey.round), follow=True
    )

    assert "The round is closed. No code works any longer." in response.text
    assert Round.objects.get(pk=survey.round.pk).state == Round.State.CLOSED


def test_purge_page_asks_first_and_says_how_many(client_for, survey: Survey):
    services.round_close(actor=None, round_=survey.round)

    page = in_english(client_for("adviser")).get(url("surveys:round_purge", survey.round))

    assert page.status_code == 200
    assert "This deletes the names, addresses and codes of 4 recipients for good." in page.text
    assert Recipient.objects.filter(round=survey.round).count() == 4


def test_purge_deletes_the_recipients_of_a_closed_round(client_for, survey: Survey):
    services.round_close(actor=None, round_=survey.round)

    response = in_english(client_for("adviser")).post(
        url("surveys:round_purge", survey.round), follow=True
    )

    assert "Deleted 4 recipients with their names, addresses and codes." in response.text
    assert not Recipient.objects.filter(round=survey.round).exists()
    assert "<dt>Invited</dt><dd>4</dd>" in response.text


def test_purge_of_an_open_round_is_refused_with_a_message(client_for, survey: Survey):
    response = in_english(client_for("adviser")).post(
        url("surveys:round_purge", survey.round), follow=True
    )

    assert "Recipients can be purged only after the round has closed. Close it first." in (
        response.text
    )
    assert Recipient.objects.filter(round=survey.round).count() == 4


# --- importing recipients through a background task ------------------------------------


def test_import_sends_the_adviser_to_the_task_page(client_for, draft):
    response = client_for("adviser").post(
        url("surveys:round_import", draft), {"file": upload(ROW_AT_UNIT, ROW_AT_SIBLING)}
    )

    task = task_from(response["Location"])
    assert response.status_code == 302
    assert (task.kind, task.status, task.params) == (
        "surveys.import_recipients",
        BackgroundTask.Status.QUEUED,
        {"language": "nb", "round": draft.pk, "skip_invalid": False},
    )
    assert not Recipient.objects.exists()


def test_import_result_shows_how_many_were_imported(client_for, draft):
    client = in_english(client_for("adviser"))
    response = client.post(
        url("surveys:round_import", draft), {"file": upload(ROW_AT_UNIT, ROW_AT_SIBLING)}
    )

    tasks.run_pending()
    page = client.get(response["Location"])

    assert "2 recipients were imported, each with a new code." in page.text
    assert Recipient.objects.filter(round=draft).count() == 2


def test_import_with_an_invalid_row_imports_nothing_and_names_the_row(client_for, draft):
    client = in_english(client_for("adviser"))
    response = client.post(
        url("surveys:round_import", draft),
        {"file": upload(ROW_AT_UNIT, ROW_WITH_BAD_POSTAL_CODE)},
    )

    tasks.run_pending()
    page = client.get(response["Location"]).text

    assert "Nothing was imported." in page
    assert "<td>3</td>" in page
    assert "The postal code 30A is not four digits." in page
    assert not Recipient.objects.exists()


def test_import_of_only_the_valid_rows(client_for, draft):
    client = in_english(client_for("adviser"))
    response = client.post(
        url("surveys:round_import", draft),
        {"file": upload(ROW_AT_UNIT, ROW_WITH_BAD_POSTAL_CODE), "skip_invalid": "on"},
    )

    tasks.run_pending()
    page = client.get(response["Location"]).text

    assert "1 recipient was imported, each with a new code." in page
    assert list(Recipient.objects.values_list("name", flat=True)) == ["Åse Ødegård"]


def test_uploaded_file_is_emptied_once_the_import_has_run(client_for, draft):
    response = client_for("adviser").post(
        url("surveys:round_import", draft), {"file": upload(ROW_AT_UNIT)}
    )
    task = task_from(response["Location"])

    tasks.run_pending()

    task.refresh_from_db()
    assert task.status == BackgroundTask.Status.DONE
    assert task.payload is None


def test_import_result_keeps_counts_but_no_names(client_for, draft):
    response = client_for("adviser").post(
        url("surveys:round_import", draft), {"file": upload(ROW_AT_UNIT, ROW_WITH_BAD_POSTAL_CODE)}
    )
    task = task_from(response["Location"])

    tasks.run_pending()

    task.refresh_from_db()
    assert task.result is not None
    assert task.result["total_rows"] == 2
    assert "Åse" not in str(task.result)
    assert "Ola Feil" not in str(task.result)


def test_import_without_a_file_is_refused(client_for, draft):
    # What a browser sends when no file was chosen: the field, empty.
    response = in_english(client_for("adviser")).post(
        url("surveys:round_import", draft), {"file": ""}
    )

    assert response.status_code == 400
    assert "Choose the file to import." in response.text
    assert not BackgroundTask.objects.exists()


def test_import_into_a_closed_round_is_refused_before_queueing(client_for, survey: Survey):
    services.round_close(actor=None, round_=survey.round)

    response = in_english(client_for("adviser")).post(
        url("surveys:round_import", survey.round), {"file": upload(ROW_AT_UNIT)}, follow=True
    )

    assert "Recipients cannot be added to a closed round." in response.text
    assert not BackgroundTask.objects.exists()


def test_round_page_lists_recent_imports(client_for, draft):
    client = client_for("adviser")
    response = client.post(url("surveys:round_import", draft), {"file": upload(ROW_AT_UNIT)})
    tasks.run_pending()

    page = client.get(url("surveys:round_detail", draft)).text

    assert response["Location"] in page


def test_someone_elses_import_page_is_not_found(client_for, world, draft):
    response = client_for("adviser").post(
        url("surveys:round_import", draft), {"file": upload(ROW_AT_UNIT)}
    )
    second_adviser = UserFactory.create(username="adviser2")
    RoleAssignmentFactory.create(
        user=second_adviser,
        municipality=world.alpha,
        role=Role.QUALITY_ADVISER,
        service_area=world.area,
    )
    client = Client(HTTP_HOST="alpha.test")
    client.force_login(second_adviser)

    page = client.get(response["Location"])

    assert page.status_code == 404


@pytest.mark.parametrize("role", ["manager", "staff", "politician"])
def test_import_page_is_not_found_for_other_roles(client_for, draft, role):
    response = client_for("adviser").post(
        url("surveys:round_import", draft), {"file": upload(ROW_AT_UNIT)}
    )

    page = client_for(role).get(response["Location"])

    assert page.status_code == 404


def test_administrator_sees_someone_elses_import_page(client_for, draft):
    response = client_for("adviser").post(
        url("surveys:round_import", draft), {"file": upload(ROW_AT_UNIT)}
    )
    tasks.run_pending()

    page = in_english(client_for("admin")).get(response["Location"])

    assert page.status_code == 200
    assert "1 recipient was imported, each with a new code." in page.text


def test_task_status_as_json_while_queued(client_for, draft):
    client = client_for("adviser")
    response = client.post(url("surveys:round_import", draft), {"file": upload(ROW_AT_UNIT)})

    status = client.get(response["Location"], {"format": "json"})

    assert status.json() == {"status": "queued", "finished": False, "percent": 0}


def test_task_status_as_json_when_done(client_for, draft):
    client = client_for("adviser")
    response = client.post(url("surveys:round_import", draft), {"file": upload(ROW_AT_UNIT)})
    tasks.run_pending()

    status = client.get(response["Location"], {"format": "json"})

    assert status.json() == {"status": "done", "finished": True, "percent": 100}


# --- paper forms and interviews --------------------------------------------------------


def test_paper_form_is_entered_as_a_paper_response(client_for, world, survey: Survey):
    response = client_for("adviser").post(
        url("surveys:round_enter", survey.round), paper_form(survey)
    )

    saved = Response.objects.get()
    assert response.status_code == 302
    assert (saved.mode, saved.unit, saved.audience) == ("paper", world.unit, "users")
    assert (saved.scores, saved.importance) == ("4" * 23, "5" * 23)
    assert ResponseText.objects.get(response=saved).text == "Fin hjelp hver dag."


def test_interview_is_entered_as_an_interview(client_for, survey: Survey):
    client_for("adviser").post(
        url("surveys:round_enter", survey.round), paper_form(survey, mode="interview")
    )

    assert Response.objects.get().mode == "interview"


def test_paper_form_with_unanswered_statements_keeps_them_unanswered(client_for, survey: Survey):
    client_for("adviser").post(
        url("surveys:round_enter", survey.round), paper_form(survey, **{"s-s01": "", "s-s02": "0"})
    )

    assert Response.objects.get().scores == "-0" + "4" * 21


def test_code_on_the_form_uses_the_code_and_gives_its_unit(client_for, world, survey: Survey):
    response = client_for("adviser").post(
        url("surveys:round_enter", survey.round),
        paper_form(survey, unit="", code=survey.codes["Kari Hjemme"]),
    )

    assert response.status_code == 302
    assert Response.objects.get().unit == world.sibling
    assert survey.used("Kari Hjemme")


def test_code_of_another_round_is_refused(client_for, survey: Survey, other_open_round):
    _other, people = other_open_round

    response = in_english(client_for("adviser")).post(
        url("surveys:round_enter", survey.round), paper_form(survey, code=people["Liv Lund"])
    )

    assert response.status_code == 400
    assert "This code belongs to another survey round." in response.text
    assert not Response.objects.exists()
    assert not access_code_of(Recipient.objects.get(name="Liv Lund")).used


def test_used_code_is_refused(client_for, survey: Survey):
    client = in_english(client_for("adviser"))
    code = survey.codes["Ola Nordmann"]
    client.post(url("surveys:round_enter", survey.round), paper_form(survey, code=code))

    response = client.post(url("surveys:round_enter", survey.round), paper_form(survey, code=code))

    assert response.status_code == 400
    assert "This code has been used already." in response.text
    assert Response.objects.count() == 1


def test_unknown_code_is_refused(client_for, survey: Survey):
    response = in_english(client_for("adviser")).post(
        url("surveys:round_enter", survey.round), paper_form(survey, code="AAAA-AAAA")
    )

    assert response.status_code == 400
    assert "No recipient has this code. Check the code." in response.text
    assert not Response.objects.exists()


def test_paper_form_without_unit_or_code_is_refused(client_for, survey: Survey):
    response = in_english(client_for("adviser")).post(
        url("surveys:round_enter", survey.round), paper_form(survey, unit="")
    )

    assert response.status_code == 400
    assert "Choose the unit, or type the code from the form." in response.text
    assert not Response.objects.exists()


def test_paper_form_keeps_what_was_typed_when_refused(client_for, survey: Survey):
    response = client_for("adviser").post(
        url("surveys:round_enter", survey.round),
        paper_form(survey, unit="", **{"t-kommentar": "Maten er god."}),
    )

    assert "Maten er god." in response.text


def test_relatives_code_on_the_user_form_gets_a_message_that_says_what_to_do(
    client_for, survey: Survey
):
    """Product bug: the relative's code switches the response to the relatives survey, whose
    17 statements do not fit the 23 typed on the user form, and the adviser reads "The
    answers do not fit the questionnaire." instead of being sent to the relatives form."""
    response = in_english(client_for("adviser")).post(
        url("surveys:round_enter", survey.round),
        paper_form(survey, code=survey.codes["Per Pårørende"]),
    )

    assert response.status_code == 400
    assert "The answers do not fit the questionnaire." not in response.text
    assert not survey.used("Per Pårørende")


def test_relatives_form_is_entered_for_relatives(client_for, world, survey: Survey):
    data = {"mode": "paper", "language": "nb", "unit": str(world.unit.pk)}
    for statement in survey.relatives_questionnaire.spec.statements:
        data[f"s-{statement.key}"] = "3"

    client_for("adviser").post(url("surveys:round_enter", survey.round) + "?for=relatives", data)

    saved = Response.objects.get()
    assert (saved.audience, saved.questionnaire) == ("relatives", survey.relatives_questionnaire)


def user_form_for(world, questionnaires) -> dict[str, str]:
    data = {"mode": "paper", "language": "nb", "unit": str(world.unit.pk)}
    data.update({f"s-{s.key}": "4" for s in questionnaires[USER_SURVEY].spec.statements})
    return data


def test_paper_entry_is_refused_while_the_round_is_a_draft(client_for, world, questionnaires):
    round_ = make_round(world, questionnaires, name="Ikke åpen")

    response = in_english(client_for("adviser")).post(
        url("surveys:round_enter", round_), user_form_for(world, questionnaires)
    )

    assert response.status_code == 400
    assert "Responses can be entered only while the round is open." in response.text
    assert not Response.objects.exists()


def test_paper_entry_is_refused_once_the_round_is_closed(client_for, world, survey, questionnaires):
    services.round_close(actor=None, round_=survey.round)

    response = in_english(client_for("adviser")).post(
        url("surveys:round_enter", survey.round), user_form_for(world, questionnaires)
    )

    assert response.status_code == 400
    assert "Responses can be entered only while the round is open." in response.text
    assert not Response.objects.exists()
