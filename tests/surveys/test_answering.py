"""Answering on the web, page by page, as a respondent's browser does it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.test.html import Element, parse_html
from django.urls import reverse
from django.utils import timezone

from medvirk.surveys import questionnaire as definitions
from medvirk.surveys import services
from medvirk.surveys.models import (
    AccessCode,
    Audience,
    Draft,
    Questionnaire,
    Response,
    ResponseText,
)
from medvirk.surveys.views.answering import COOKIE

from .conftest import Survey, import_people

ALL_AGREE = {f"s-s{n:02d}": "5" for n in range(1, 24)}


def enter_code(client, code: str):
    return client.post(reverse("answer:code"), {"code": code})


def answer_everything(client, survey: Survey, *, comment: str = "Takk for god hjelp.") -> None:
    client.post(reverse("answer:start"), {"language": "nb", "on_behalf": "no"})
    spec = survey.questionnaire.spec
    for number, section in enumerate(spec.sections, start=1):
        data = {"action": "next"}
        for statement in section.statements:
            data[f"s-{statement.key}"] = "4"
            data[f"i-{statement.key}"] = "5"
        for free_text in section.free_texts:
            data[f"t-{free_text.key}"] = comment
        client.post(reverse("answer:section", args=[number]), data)


def only_draft() -> services.OpenDraft:
    """The one draft in the database, opened as the server opens it."""
    opened = services.draft_open(
        Draft.objects.select_related("access_code__round").get().access_code
    )
    assert opened is not None
    return opened


def in_english(client: Client) -> Client:
    """The client with English chosen, so messages can be asserted on their source text."""
    client.cookies["medvirk_language"] = "en"
    return client


# --- reading pages ---------------------------------------------------------------------


def page(response) -> Element:
    return parse_html(response.content.decode())


def attributes(element: Element) -> dict[str, Any]:
    return dict(element.attributes)


def find_all(node: Any, tag: str, /, **wanted: str) -> list[Element]:
    """Every ``tag`` element under ``node`` (itself included) whose attributes include
    ``wanted`` (``class_`` for class, matched as one of its classes)."""
    found: list[Element] = []
    if isinstance(node, str):
        return found
    attrs = attributes(node)
    classes = str(attrs.get("class") or "").split()
    matches = node.name == tag and all(
        (value in classes) if key == "class_" else attrs.get(key) == value
        for key, value in wanted.items()
    )
    if matches:
        found.append(node)
    for child in node.children:
        found.extend(find_all(child, tag, **wanted))
    return found


def text_of(node: Any) -> str:
    if isinstance(node, str):
        return node
    return " ".join(" ".join(text_of(child) for child in node.children).split())


def radios(node: Any) -> list[dict[str, Any]]:
    return [attributes(i) for i in find_all(node, "input", type="radio")]


def checked(response, name: str) -> list[str]:
    """The values of the radio buttons called ``name`` that the page shows as checked."""
    return [r["value"] for r in radios(page(response)) if r["name"] == name and "checked" in r]


def statement_fieldset(response, statement_text: str) -> Element:
    """The fieldset whose legend holds the statement's text."""
    return next(
        fieldset
        for fieldset in find_all(page(response), "fieldset")
        if statement_text in text_of(find_all(fieldset, "legend")[0])
    )


def started(
    client: Client, survey: Survey, name: str = "Åse Ødegård", language: str = "nb"
) -> Client:
    """Code typed and the start page answered; returns the client on section 1."""
    enter_code(client, survey.codes[name])
    client.post(reverse("answer:start"), {"language": language, "on_behalf": "no"})
    return client


def draft_of(survey: Survey, name: str) -> services.OpenDraft:
    found = survey.draft(name)
    assert found is not None
    return found


# --- the whole way ---------------------------------------------------------------------


def test_whole_survey_from_code_to_thanks_makes_one_response(survey, respondent):
    code = survey.codes["Åse Ødegård"]

    assert enter_code(respondent, code)["Location"] == reverse("answer:start")
    answer_everything(respondent, survey)
    summary = respondent.get(reverse("answer:summary"))
    sent = respondent.post(reverse("answer:summary"))

    assert summary.status_code == 200
    assert "Takk for god hjelp." in summary.text
    assert sent.status_code == 302
    response = Response.objects.get()
    assert (response.scores, response.importance) == ("4" * 23, "5" * 23)
    assert ResponseText.objects.get().text == "Takk for god hjelp."
    assert survey.used("Åse Ødegård")
    assert not Draft.objects.exists()
    thanks = respondent.get(sent["Location"])
    assert "Takk" in thanks.text


def test_code_is_accepted_in_any_case_with_or_without_dash_or_spaces(survey, respondent):
    code = survey.codes["Åse Ødegård"].replace("-", " ").lower()

    response = enter_code(respondent, code)

    assert response.status_code == 302


def test_wrong_and_used_codes_get_the_same_message(survey, respondent, client_for):
    code = survey.codes["Åse Ødegård"]
    enter_code(respondent, code)
    answer_everything(respondent, survey)
    respondent.post(reverse("answer:summary"))
    in_english(respondent)

    used = enter_code(respondent, code)
    wrong = enter_code(respondent, "ZZZZ-ZZZZ")

    assert used.status_code == wrong.status_code == 400
    message = "We did not find this code, or it has already been used."
    assert message in used.text
    assert message in wrong.text


def test_leaving_and_coming_back_continues_where_they_stopped(survey, respondent):
    code = survey.codes["Åse Ødegård"]
    enter_code(respondent, code)
    respondent.post(reverse("answer:start"), {"language": "nb", "on_behalf": "no"})
    respondent.post(reverse("answer:section", args=[1]), {"action": "next", "s-s01": "2"})
    respondent.post(reverse("answer:section", args=[2]), {"action": "pause", "s-s07": "3"})

    later = enter_code(respondent, code)
    page = respondent.get(later["Location"])

    assert later["Location"] == reverse("answer:section", args=[2])
    assert 'name="s-s07" value="3" checked' in page.text
    assert survey.used("Åse Ødegård") is False


def test_relative_answers_the_relatives_survey(survey, respondent):
    enter_code(respondent, survey.codes["Per Pårørende"])
    respondent.post(reverse("answer:start"), {"language": "nb"})

    page = respondent.get(reverse("answer:section", args=[1]))

    first = survey.relatives_questionnaire.spec.statements[0]
    assert first.text.get("nb") in page.text


# --- the letter's address and the QR code ----------------------------------------------


def test_address_without_slash_redirects_to_the_code_page_keeping_the_query(survey, respondent):
    response = respondent.get("/svar?kode=ABCD-EFGH")

    assert response.status_code == 301
    assert response["Location"] == "/svar/?kode=ABCD-EFGH"


def test_qr_code_link_shows_the_code_page_with_the_code_filled_in(survey, respondent):
    code = survey.codes["Åse Ødegård"]

    response = respondent.get(f"/svar/?kode={code}")

    assert response.status_code == 200
    field = find_all(page(response), "input", name="code")[0]
    assert attributes(field)["value"] == code


def test_code_filled_in_from_the_qr_code_is_accepted(survey, respondent):
    code = survey.codes["Åse Ødegård"]
    shown = respondent.get(f"/svar/?kode={code}")
    typed = attributes(find_all(page(shown), "input", name="code")[0])["value"]

    response = enter_code(respondent, typed)

    assert response["Location"] == reverse("answer:start")


# --- language --------------------------------------------------------------------------


def test_start_page_offers_the_questionnaires_languages(survey, respondent):
    enter_code(respondent, survey.codes["Åse Ødegård"])

    response = respondent.get(reverse("answer:start"))

    offered = [r["value"] for r in radios(page(response)) if r["name"] == "language"]
    assert offered == ["nb", "nn", "en"]


def test_choosing_english_shows_the_statements_in_english(survey, respondent):
    started(respondent, survey, language="en")

    response = respondent.get(reverse("answer:section", args=[1]))

    s01 = survey.questionnaire.spec.statement("s01")
    assert s01.text.get("en") in response.text
    assert s01.text.get("nb") not in response.text


def test_choosing_english_marks_the_page_as_english(survey, respondent):
    started(respondent, survey, language="en")

    response = respondent.get(reverse("answer:section", args=[1]))

    assert attributes(page(response))["lang"] == "en"


def test_choosing_nynorsk_shows_the_statements_in_nynorsk(survey, respondent):
    started(respondent, survey, language="nn")

    response = respondent.get(reverse("answer:section", args=[1]))

    s01 = survey.questionnaire.spec.statement("s01")
    assert s01.text.get("nn") in response.text
    assert s01.text.get("nb") not in response.text


def test_choosing_nynorsk_marks_the_page_as_nynorsk(survey, respondent):
    started(respondent, survey, language="nn")

    response = respondent.get(reverse("answer:section", args=[1]))

    assert attributes(page(response))["lang"] == "nn"


def test_the_response_does_not_keep_the_language_it_was_answered_in(survey, respondent):
    # The one English reader of a unit would be known by it (docs/threat-model.md).
    started(respondent, survey, language="en")
    respondent.post(reverse("answer:section", args=[1]), {"action": "next", "s-s01": "3"})

    respondent.post(reverse("answer:summary"))

    assert "en" not in Response.objects.values().get().values()


# --- one section per page, with progress -----------------------------------------------


def test_each_section_is_its_own_page(survey, respondent):
    started(respondent, survey)

    response = respondent.get(reverse("answer:section", args=[2]))

    statements = {r["name"] for r in radios(page(response)) if r["name"].startswith("s-")}
    assert statements == {f"s-s{n:02d}" for n in range(7, 15)}


def test_section_page_says_which_step_of_how_many(survey, respondent):
    started(in_english(respondent), survey, language="en")

    response = respondent.get(reverse("answer:section", args=[1]))

    assert "Step 2 of 6" in text_of(page(response))


def test_section_page_has_a_progress_element_with_value_and_max(survey, respondent):
    started(respondent, survey)

    response = respondent.get(reverse("answer:section", args=[3]))

    progress = attributes(find_all(page(response), "progress")[0])
    assert (progress["value"], progress["max"]) == ("4", "6")


def test_summary_is_the_last_step(survey, respondent):
    started(respondent, survey)

    response = respondent.get(reverse("answer:summary"))

    progress = attributes(find_all(page(response), "progress")[0])
    assert (progress["value"], progress["max"]) == ("6", "6")


def test_next_goes_to_the_following_section(survey, respondent):
    started(respondent, survey)

    response = respondent.post(reverse("answer:section", args=[1]), {"action": "next"})

    assert response["Location"] == reverse("answer:section", args=[2])


def test_next_on_the_last_section_goes_to_the_summary(survey, respondent):
    started(respondent, survey)

    response = respondent.post(reverse("answer:section", args=[4]), {"action": "next"})

    assert response["Location"] == reverse("answer:summary")


def test_back_goes_to_the_previous_section(survey, respondent):
    started(respondent, survey)

    response = respondent.post(reverse("answer:section", args=[2]), {"action": "back"})

    assert response["Location"] == reverse("answer:section", args=[1])


def test_back_on_the_first_section_goes_to_the_start_page(survey, respondent):
    started(respondent, survey)

    response = respondent.post(reverse("answer:section", args=[1]), {"action": "back"})

    assert response["Location"] == reverse("answer:start")


def test_back_keeps_the_answers_given_on_the_page_it_leaves(survey, respondent):
    started(respondent, survey)
    respondent.post(reverse("answer:section", args=[2]), {"action": "back", "s-s07": "3"})

    response = respondent.get(reverse("answer:section", args=[2]))

    assert checked(response, "s-s07") == ["3"]


def test_back_shows_the_answers_given_earlier_on_the_previous_page(survey, respondent):
    started(respondent, survey)
    respondent.post(
        reverse("answer:section", args=[1]), {"action": "next", "s-s01": "2", "i-s01": "4"}
    )
    back = respondent.post(reverse("answer:section", args=[2]), {"action": "back"})

    response = respondent.get(back["Location"])

    assert (checked(response, "s-s01"), checked(response, "i-s01")) == (["2"], ["4"])


def test_pause_shows_that_the_answers_are_saved(survey, respondent):
    started(in_english(respondent), survey, language="en")

    paused = respondent.post(reverse("answer:section", args=[1]), {"action": "pause"})
    response = respondent.get(paused["Location"])

    assert paused["Location"] == reverse("answer:paused")
    assert "Your answers are saved" in response.text


def test_pause_keeps_the_answers_on_the_page(survey, respondent):
    started(respondent, survey)

    respondent.post(reverse("answer:section", args=[1]), {"action": "pause", "s-s02": "1"})

    assert draft_of(survey, "Åse Ødegård").scores.startswith("-1")


def test_code_after_pausing_on_the_first_section_resumes_there(survey, respondent):
    started(respondent, survey)
    respondent.post(reverse("answer:section", args=[1]), {"action": "pause", "s-s02": "1"})
    respondent.get(reverse("answer:paused"))

    later = enter_code(respondent, survey.codes["Åse Ødegård"])

    assert later["Location"] == reverse("answer:section", args=[1])


def test_code_after_reaching_the_summary_resumes_at_the_summary(survey, respondent):
    started(respondent, survey)
    for number in range(1, 5):
        respondent.post(reverse("answer:section", args=[number]), {"action": "next"})
    respondent.get(reverse("answer:paused"))

    later = enter_code(respondent, survey.codes["Åse Ødegård"])

    assert later["Location"] == reverse("answer:summary")


def test_resuming_keeps_the_language_chosen_before(survey, respondent):
    started(respondent, survey, language="en")
    respondent.post(reverse("answer:section", args=[1]), {"action": "pause"})
    respondent.get(reverse("answer:paused"))
    elsewhere = Client(HTTP_HOST="alpha.test", REMOTE_ADDR="192.0.2.11")
    enter_code(elsewhere, survey.codes["Åse Ødegård"])

    response = elsewhere.get(reverse("answer:start"))

    chosen = [
        r["value"] for r in radios(page(response)) if r["name"] == "language" and "checked" in r
    ]
    assert chosen == ["en"]


def test_resuming_in_another_browser_shows_the_pages_in_the_language_chosen_before(
    survey, respondent
):
    started(respondent, survey, language="en")
    respondent.post(reverse("answer:section", args=[1]), {"action": "pause"})
    elsewhere = Client(HTTP_HOST="alpha.test", REMOTE_ADDR="192.0.2.11")
    resumed = enter_code(elsewhere, survey.codes["Åse Ødegård"])

    response = elsewhere.get(resumed["Location"])

    assert attributes(page(response))["lang"] == "en"


def test_resuming_in_another_browser_keeps_the_language_in_the_draft(survey, respondent):
    started(respondent, survey, language="en")
    respondent.post(reverse("answer:section", args=[1]), {"action": "pause"})
    elsewhere = Client(HTTP_HOST="alpha.test", REMOTE_ADDR="192.0.2.11")
    enter_code(elsewhere, survey.codes["Åse Ødegård"])

    elsewhere.post(reverse("answer:section", args=[1]), {"action": "next", "s-s01": "4"})

    assert draft_of(survey, "Åse Ødegård").language == "en"


def test_summary_lists_each_answer_with_its_statement(survey, respondent):
    started(in_english(respondent), survey, language="en")
    respondent.post(
        reverse("answer:section", args=[1]), {"action": "next", "s-s01": "2", "i-s01": "5"}
    )

    response = respondent.get(reverse("answer:summary"))

    s01 = survey.questionnaire.spec.statement("s01").text.get("en")
    row = next(
        r for r in find_all(page(response), "div", class_="summary-row") if s01 in text_of(r)
    )
    assert text_of(find_all(row, "dd")[0]) == "Somewhat disagree Importance: Very important"


def test_summary_lists_what_was_written(survey, respondent):
    started(respondent, survey)
    respondent.post(
        reverse("answer:section", args=[4]), {"action": "next", "t-kommentar": "Gode folk."}
    )

    response = respondent.get(reverse("answer:summary"))

    assert "Gode folk." in text_of(page(response))


def test_summary_links_to_each_section_to_change_it(survey, respondent):
    started(respondent, survey)

    response = respondent.get(reverse("answer:summary"))

    links = {attributes(a)["href"] for a in find_all(page(response), "a")}
    wanted = {f"{reverse('answer:section', args=[n])}?fra=oppsummering" for n in range(1, 5)}
    assert wanted <= links


def test_changing_a_section_from_the_summary_returns_to_the_summary(survey, respondent):
    started(respondent, survey)

    response = respondent.post(
        reverse("answer:section", args=[2]), {"action": "next", "fra": "oppsummering"}
    )

    assert response["Location"] == reverse("answer:summary")


def test_submitting_shows_the_thank_you_page(survey, respondent):
    started(in_english(respondent), survey, language="en")

    sent = respondent.post(reverse("answer:summary"))
    response = respondent.get(sent["Location"])

    assert response.status_code == 200
    assert "Thank you for answering!" in response.text


def test_thank_you_page_shows_the_questionnaires_thanks_text(survey, respondent):
    started(in_english(respondent), survey, language="en")

    sent = respondent.post(reverse("answer:summary"))
    response = respondent.get(sent["Location"])

    thanks = survey.questionnaire.spec.thanks
    assert thanks is not None
    assert thanks.get("en").splitlines()[0] in response.text


def test_relatives_get_the_relatives_thanks_text(survey, respondent):
    started(in_english(respondent), survey, name="Per Pårørende", language="en")

    sent = respondent.post(reverse("answer:summary"))
    response = respondent.get(sent["Location"])

    assert sent["Location"] == reverse(
        "answer:thanks", kwargs={"questionnaire": survey.relatives_questionnaire.pk}
    )
    assert response.status_code == 200


# --- every statement one radio group ---------------------------------------------------


def test_statement_is_a_fieldset_whose_legend_holds_its_text(survey, respondent):
    started(respondent, survey)
    response = respondent.get(reverse("answer:section", args=[1]))
    s01 = survey.questionnaire.spec.statement("s01").text.get("nb")

    fieldset = statement_fieldset(response, s01)

    assert {r["name"] for r in radios(fieldset)} == {"s-s01"}


def test_statement_radios_are_the_scale_and_dont_know(survey, respondent):
    started(respondent, survey)
    response = respondent.get(reverse("answer:section", args=[1]))
    s01 = survey.questionnaire.spec.statement("s01").text.get("nb")

    fieldset = statement_fieldset(response, s01)

    assert [r["value"] for r in radios(fieldset)] == ["1", "2", "3", "4", "5", "0"]


def test_dont_know_is_outside_the_scales_container(survey, respondent):
    started(respondent, survey)
    response = respondent.get(reverse("answer:section", args=[1]))
    s01 = survey.questionnaire.spec.statement("s01").text.get("nb")
    fieldset = statement_fieldset(response, s01)

    scale = find_all(fieldset, "div", class_="scale")[0]

    assert [r["value"] for r in radios(scale)] == ["1", "2", "3", "4", "5"]


def test_dont_know_is_labelled_in_the_chosen_language(survey, respondent):
    started(respondent, survey, language="en")
    response = respondent.get(reverse("answer:section", args=[1]))
    s01 = survey.questionnaire.spec.statement("s01").text.get("en")
    fieldset = statement_fieldset(response, s01)

    dont_know = find_all(fieldset, "div", class_="dont-know")[0]

    assert text_of(dont_know) == "Don't know"


def test_importance_is_its_own_fieldset_right_after_the_statement(survey, respondent):
    started(respondent, survey)
    response = respondent.get(reverse("answer:section", args=[1]))

    block = find_all(page(response), "div", class_="statement-block")[0]
    fieldsets = find_all(block, "fieldset")

    assert [{r["name"] for r in radios(f)} for f in fieldsets] == [{"s-s01"}, {"i-s01"}]


def test_importance_fieldset_asks_how_important_the_statement_is(survey, respondent):
    started(respondent, survey, language="en")
    response = respondent.get(reverse("answer:section", args=[1]))

    block = find_all(page(response), "div", class_="statement-block")[0]
    legend = find_all(find_all(block, "fieldset", class_="importance")[0], "legend")[0]

    assert text_of(legend).startswith("How important is this to you?")


def test_importance_has_no_dont_know(survey, respondent):
    started(respondent, survey)
    response = respondent.get(reverse("answer:section", args=[1]))

    block = find_all(page(response), "div", class_="statement-block")[0]
    importance = find_all(block, "fieldset", class_="importance")[0]

    assert [r["value"] for r in radios(importance)] == ["1", "2", "3", "4", "5"]


def test_answers_given_are_shown_checked_when_the_page_is_shown_again(survey, respondent):
    started(respondent, survey)
    respondent.post(reverse("answer:section", args=[1]), {"action": "next", "s-s03": "0"})

    response = respondent.get(reverse("answer:section", args=[1]))

    assert checked(response, "s-s03") == ["0"]


def test_dont_know_is_kept_as_zero_in_the_response(survey, respondent):
    started(respondent, survey)
    respondent.post(reverse("answer:section", args=[1]), {"action": "next", "s-s01": "0"})

    respondent.post(reverse("answer:summary"))

    assert Response.objects.get().scores == "0" + "-" * 22


# --- no time limit ---------------------------------------------------------------------


def test_answering_cookie_lasts_as_long_as_the_browser(survey, respondent):
    response = enter_code(respondent, survey.codes["Åse Ødegård"])

    cookie = response.cookies[COOKIE]

    assert (cookie["max-age"], cookie["expires"]) == ("", "")


def test_answering_cookie_is_not_readable_by_scripts(survey, respondent):
    response = enter_code(respondent, survey.codes["Åse Ødegård"])

    assert response.cookies[COOKIE]["httponly"] is True


def test_answers_can_be_sent_long_after_the_code_was_typed(survey, respondent, monkeypatch):
    started(respondent, survey)
    later = timezone.now() + timedelta(days=6)
    monkeypatch.setattr(timezone, "now", lambda: later)

    sent = respondent.post(reverse("answer:summary"))

    assert sent["Location"].startswith("/svar/takk/")
    assert Response.objects.count() == 1


# --- who is answering ------------------------------------------------------------------


def test_user_survey_start_page_asks_who_is_answering(survey, respondent):
    enter_code(respondent, survey.codes["Åse Ødegård"])

    response = respondent.get(reverse("answer:start"))

    choices = [r["value"] for r in radios(page(response)) if r["name"] == "on_behalf"]
    assert choices == ["no", "yes"]


def test_relatives_survey_start_page_does_not_ask_who_is_answering(survey, respondent):
    enter_code(respondent, survey.codes["Per Pårørende"])

    response = respondent.get(reverse("answer:start"))

    assert [r for r in radios(page(response)) if r["name"] == "on_behalf"] == []


def test_answering_on_behalf_is_kept_in_the_response(survey, respondent):
    enter_code(respondent, survey.codes["Åse Ødegård"])
    respondent.post(reverse("answer:start"), {"language": "nb", "on_behalf": "yes"})

    respondent.post(reverse("answer:summary"))

    assert Response.objects.get().on_behalf is True


def test_answering_for_oneself_is_kept_in_the_response(survey, respondent):
    enter_code(respondent, survey.codes["Åse Ødegård"])
    respondent.post(reverse("answer:start"), {"language": "nb", "on_behalf": "no"})

    respondent.post(reverse("answer:summary"))

    assert Response.objects.get().on_behalf is False


def test_relatives_response_is_for_the_relatives_audience(survey, respondent):
    enter_code(respondent, survey.codes["Per Pårørende"])
    respondent.post(reverse("answer:start"), {"language": "nb"})

    respondent.post(reverse("answer:summary"))

    response = Response.objects.get()
    assert (response.audience, response.questionnaire) == (
        Audience.RELATIVES,
        survey.relatives_questionnaire,
    )


def test_users_response_is_for_the_users_audience(survey, respondent):
    started(respondent, survey, name="Kari Hjemme")

    respondent.post(reverse("answer:summary"))

    response = Response.objects.get()
    assert (response.audience, response.questionnaire, response.unit_id) == (
        Audience.USERS,
        survey.questionnaire,
        survey.recipient("Kari Hjemme").unit_id,
    )


def test_relatives_answers_are_kept_on_the_relatives_scale(survey, respondent):
    started(respondent, survey, name="Per Pårørende")
    respondent.post(reverse("answer:section", args=[1]), {"action": "next", "s-p01": "5"})

    respondent.post(reverse("answer:summary"))

    spec = survey.relatives_questionnaire.spec
    assert Response.objects.get().scores == "5" + "-" * (len(spec.statements) - 1)


# --- required statements ---------------------------------------------------------------

REQUIRED: dict[str, Any] = {
    "key": "med-pakrevd",
    "version": 1,
    "audience": "users",
    "languages": ["nb", "en"],
    "title": {"nb": "Undersøkelse med krav", "en": "Survey with a requirement"},
    "thanks": {"nb": "Takk for svaret.", "en": "Thank you for the answer."},
    "scale": {
        "points": 3,
        "labels": [
            {"nb": "Nei", "en": "No"},
            {"nb": "Litt", "en": "A little"},
            {"nb": "Ja", "en": "Yes"},
        ],
        "dont_know": {"nb": "Vet ikke", "en": "Don't know"},
    },
    "sections": [
        {
            "key": "forst",
            "title": {"nb": "Først", "en": "First"},
            "statements": [{"key": "a1", "text": {"nb": "Jeg trives", "en": "I am well"}}],
        },
        {
            "key": "viktig",
            "title": {"nb": "Viktig", "en": "Important"},
            "statements": [
                {
                    "key": "a2",
                    "required": True,
                    "text": {"nb": "Jeg blir hørt", "en": "I am listened to"},
                },
                {"key": "a3", "text": {"nb": "Jeg er trygg", "en": "I feel safe"}},
            ],
        },
    ],
}


@pytest.fixture
def strict_survey(world, questionnaires) -> dict[str, str]:
    """An open round of a questionnaire whose statement 2 (on page 2) must be answered;
    returns the recipients' codes."""
    questionnaire = Questionnaire.objects.create(
        municipality=world.alpha,
        key=REQUIRED["key"],
        version=1,
        audience=Audience.USERS,
        definition=REQUIRED,
        checksum=definitions.checksum(REQUIRED),
    )
    now = timezone.now()
    round_ = services.round_create(
        actor=None,
        municipality=world.alpha,
        service_area=world.area,
        name="Undersøkelse med krav 2026",
        questionnaire=questionnaire,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=14),
        units=[world.unit],
        contact={"name": "Kari Nordmann", "phone": "32 04 01 00", "hours": "08.00–16.00"},
    )
    people = import_people(round_, "Rita Regel;Storgata 1;3045;Drammen;n-shj;;nb;nei")
    services.round_open(actor=None, round_=round_)
    return people


@pytest.fixture
def strict_respondent(strict_survey, respondent: Client) -> Client:
    """A respondent of ``strict_survey`` on page 1, with English chosen."""
    in_english(respondent)
    enter_code(respondent, strict_survey["Rita Regel"])
    respondent.post(reverse("answer:start"), {"language": "en", "on_behalf": "no"})
    return respondent


def test_no_built_in_statement_is_required(questionnaires):
    required = [
        (q.key, s.key) for q in questionnaires.values() for s in q.spec.statements if s.required
    ]

    assert required == []


def test_next_refuses_to_leave_a_page_without_its_required_statement(strict_respondent):
    response = strict_respondent.post(
        reverse("answer:section", args=[2]), {"action": "next", "s-a3": "2"}
    )

    assert response.status_code == 400
    assert "Statement 2 must be answered." in response.text


def test_required_statement_error_is_shown_at_the_statement(strict_respondent):
    response = strict_respondent.post(
        reverse("answer:section", args=[2]), {"action": "next", "s-a3": "2"}
    )

    fieldset = statement_fieldset(response, "I am listened to")
    assert "Statement 2 must be answered." in text_of(fieldset)


def test_refused_next_keeps_the_other_answers_checked(strict_respondent):
    response = strict_respondent.post(
        reverse("answer:section", args=[2]), {"action": "next", "s-a3": "2"}
    )

    assert checked(response, "s-a3") == ["2"]


def test_next_leaves_the_page_once_the_required_statement_is_answered(strict_respondent):
    response = strict_respondent.post(
        reverse("answer:section", args=[2]), {"action": "next", "s-a2": "0"}
    )

    assert response["Location"] == reverse("answer:summary")


def test_back_leaves_a_page_without_its_required_statement(strict_respondent):
    response = strict_respondent.post(
        reverse("answer:section", args=[2]), {"action": "back", "s-a3": "2"}
    )

    assert response["Location"] == reverse("answer:section", args=[1])
    assert only_draft().scores == "--2"


def test_pause_leaves_a_page_without_its_required_statement(strict_respondent):
    response = strict_respondent.post(
        reverse("answer:section", args=[2]), {"action": "pause", "s-a3": "2"}
    )

    assert response["Location"] == reverse("answer:paused")
    assert only_draft().scores == "--2"


def test_tampered_action_does_not_skip_a_required_statement(strict_respondent):
    response = strict_respondent.post(
        reverse("answer:section", args=[2]), {"action": "skip", "s-a3": "2"}
    )

    assert response.status_code == 400


def test_sending_without_a_required_statement_goes_back_to_its_section(strict_respondent):
    strict_respondent.post(reverse("answer:section", args=[1]), {"action": "next", "s-a1": "3"})

    response = strict_respondent.post(reverse("answer:summary"))

    assert response["Location"] == reverse("answer:section", args=[2])
    assert Response.objects.count() == 0


def test_sending_without_a_required_statement_says_which_is_missing(strict_respondent):
    response = strict_respondent.post(reverse("answer:summary"), follow=True)

    assert "Statement 2 must be answered before you send." in response.text


def test_sending_without_a_required_statement_keeps_the_code_unused(strict_respondent):
    strict_respondent.post(reverse("answer:summary"))

    assert AccessCode.objects.get().used is False


def test_sending_with_the_required_statement_answered_makes_the_response(strict_respondent):
    strict_respondent.post(reverse("answer:section", args=[2]), {"action": "next", "s-a2": "1"})

    strict_respondent.post(reverse("answer:summary"))

    assert Response.objects.get().scores == "-1-"
