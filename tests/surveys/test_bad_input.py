"""What a respondent meets when something is wrong: a clear message, and nothing lost of
what they had already given. Also the throttle on guessing codes, and what a quality
adviser meets when a recipient file is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from medvirk.core import tasks
from medvirk.core.templatetags.medvirk import long_date
from medvirk.surveys import services
from medvirk.surveys.models import (
    CodeFailureWindow,
    Recipient,
    Response,
    ResponseText,
    Round,
)
from medvirk.surveys.recipient_file import PROBLEM_CODES
from medvirk.surveys.reports import PROBLEM_MESSAGES
from medvirk.surveys.views.answering import COOKIE, SALT

from ..core import workbooks
from .conftest import HEADER, Survey, csv_bytes, import_people, make_round
from .test_answering import (
    attributes,
    checked,
    enter_code,
    find_all,
    in_english,
    page,
    started,
    statement_fieldset,
    text_of,
)

TOO_MANY = "There have been too many attempts with wrong codes."
NOT_FOUND = "We did not find this code, or it has already been used."
LONG_COMMENT = "Dette er en lang kommentar om tjenesten. " * 49 + "Slutt"  # 2,014 characters


def english_client(address: str = "192.0.2.10", host: str = "alpha.test") -> Client:
    return in_english(Client(HTTP_HOST=host, REMOTE_ADDR=address))


def section_one(client: Client, **answers: str):
    return client.post(reverse("answer:section", args=[1]), {"action": "next", **answers})


def draft_of(survey: Survey) -> services.OpenDraft:
    found = survey.draft("Åse Ødegård")
    assert found is not None
    return found


@pytest.fixture
def answering(survey: Survey, respondent: Client) -> Client:
    """Åse, in English, on section 1 of the open survey."""
    return started(in_english(respondent), survey, language="en")


# --- values that are not on the scale --------------------------------------------------


@pytest.mark.parametrize("value", ["7", "6", "abc", "-1", "1.0", "5 "])
def test_answer_off_the_scale_is_refused(answering, value):
    response = section_one(answering, **{"s-s01": value})

    assert response.status_code == 400


@pytest.mark.parametrize("value", ["7", "abc"])
def test_answer_off_the_scale_gets_a_message_at_its_statement(answering, survey, value):
    response = section_one(answering, **{"s-s01": value})

    fieldset = statement_fieldset(
        response, survey.questionnaire.spec.statement("s01").text.get("en")
    )
    assert "Choose one of the answers for statement 1." in text_of(fieldset)


def test_answer_off_the_scale_is_listed_in_the_error_summary(answering):
    response = section_one(answering, **{"s-s01": "7"})

    summary = find_all(page(response), "div", class_="error-summary")[0]
    links = [attributes(a)["href"] for a in find_all(summary, "a")]
    assert links == ["#s-s01-first"]


def test_dont_know_on_importance_is_refused_with_a_message(answering):
    response = section_one(answering, **{"s-s01": "3", "i-s01": "0"})

    assert response.status_code == 400
    assert "Choose one of the answers for how important statement 1 is." in response.text


@pytest.mark.parametrize("value", ["6", "x"])
def test_importance_off_the_scale_is_refused(answering, value):
    response = section_one(answering, **{"s-s01": "3", "i-s01": value})

    assert response.status_code == 400


def test_refused_page_keeps_the_other_answers_checked(answering):
    response = section_one(answering, **{"s-s01": "7", "s-s02": "4", "i-s02": "2", "s-s03": "0"})

    kept = (checked(response, "s-s02"), checked(response, "i-s02"), checked(response, "s-s03"))
    assert kept == (["4"], ["2"], ["0"])


def test_refused_page_saves_nothing_of_the_page(answering, survey):
    section_one(answering, **{"s-s01": "7", "s-s02": "4", "i-s02": "2"})

    draft = draft_of(survey)
    assert (draft.scores.strip("-"), draft.importance.strip("-"), draft.step) == ("", "", 1)


def test_refused_page_keeps_what_earlier_pages_saved(answering, survey):
    section_one(answering, **{"s-s01": "2"})

    answering.post(reverse("answer:section", args=[2]), {"action": "next", "s-s07": "9"})

    assert draft_of(survey).scores == "2" + "-" * 22


def test_refused_value_is_refused_on_back_too(answering, survey):
    response = answering.post(
        reverse("answer:section", args=[1]), {"action": "back", "s-s01": "abc", "s-s02": "4"}
    )

    assert response.status_code == 400
    assert draft_of(survey).scores.strip("-") == ""


def test_refused_value_is_refused_on_pause_too(answering, survey):
    response = answering.post(
        reverse("answer:section", args=[1]), {"action": "pause", "s-s01": "abc", "s-s02": "4"}
    )

    assert response.status_code == 400
    assert draft_of(survey).scores.strip("-") == ""


def test_answers_for_statements_of_another_page_are_ignored(answering, survey):
    section_one(answering, **{"s-s01": "2", "s-s07": "5"})

    assert draft_of(survey).scores == "2" + "-" * 22


def test_unknown_action_counts_as_next(answering):
    response = answering.post(reverse("answer:section", args=[1]), {"action": "delete"})

    assert response["Location"] == reverse("answer:section", args=[2])


# --- comments --------------------------------------------------------------------------


def test_comment_over_the_limit_is_refused_with_the_limit_in_the_message(answering):
    response = answering.post(
        reverse("answer:section", args=[4]), {"action": "next", "t-kommentar": LONG_COMMENT}
    )

    assert response.status_code == 400
    assert (
        "The text is 2014 characters long; it can be at most 2000. Shorten it by 14 characters."
        in text_of(page(response))
    )


def test_comment_over_the_limit_stays_in_full_in_the_text_box(answering):
    response = answering.post(
        reverse("answer:section", args=[4]), {"action": "next", "t-kommentar": LONG_COMMENT}
    )

    textarea = find_all(page(response), "textarea", name="t-kommentar")[0]
    assert textarea.children == [LONG_COMMENT]


def test_comment_over_the_limit_is_not_saved(answering, survey):
    answering.post(
        reverse("answer:section", args=[4]), {"action": "next", "t-kommentar": LONG_COMMENT}
    )

    assert draft_of(survey).texts == {}


def test_comment_of_exactly_the_limit_is_kept(answering, survey):
    comment = "x" * 2000

    answering.post(reverse("answer:section", args=[4]), {"action": "next", "t-kommentar": comment})

    assert draft_of(survey).texts == {"kommentar": comment}


def test_comment_over_the_limit_is_refused_on_pause_too(answering, survey):
    response = answering.post(
        reverse("answer:section", args=[4]), {"action": "pause", "t-kommentar": LONG_COMMENT}
    )

    assert response.status_code == 400
    assert draft_of(survey).texts == {}


def test_script_in_a_comment_is_kept_as_typed(answering):
    answering.post(
        reverse("answer:section", args=[4]),
        {"action": "next", "t-kommentar": "<script>alert(1)</script>"},
    )

    answering.post(reverse("answer:summary"))

    assert ResponseText.objects.get().text == "<script>alert(1)</script>"


def test_script_in_a_comment_is_shown_as_text_on_the_summary(answering):
    answering.post(
        reverse("answer:section", args=[4]),
        {"action": "next", "t-kommentar": "<script>alert(1)</script>"},
    )

    response = answering.get(reverse("answer:summary"))

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<script>alert(1)" not in response.text


def test_script_in_a_comment_is_shown_as_text_in_the_text_box(answering):
    answering.post(
        reverse("answer:section", args=[4]),
        {"action": "pause", "t-kommentar": "</textarea><script>alert(1)</script>"},
    )

    response = answering.get(reverse("answer:section", args=[4]))

    assert "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_comment_of_only_spaces_is_not_kept(answering):
    answering.post(reverse("answer:section", args=[4]), {"action": "next", "t-kommentar": "   "})

    answering.post(reverse("answer:summary"))

    assert ResponseText.objects.count() == 0


# --- sending twice ---------------------------------------------------------------------


def test_double_clicked_send_makes_one_response(answering):
    cookie = answering.cookies[COOKIE].value
    answering.post(reverse("answer:summary"))
    answering.cookies[COOKIE] = cookie

    answering.post(reverse("answer:summary"))

    assert Response.objects.count() == 1


def test_double_clicked_send_takes_both_clicks_to_the_thank_you_page(answering, survey):
    cookie = answering.cookies[COOKIE].value
    first = answering.post(reverse("answer:summary"))
    answering.cookies[COOKIE] = cookie

    second = answering.post(reverse("answer:summary"))

    thanks = reverse("answer:thanks", kwargs={"questionnaire": survey.questionnaire.pk})
    assert (first["Location"], second["Location"]) == (thanks, thanks)


def test_submitting_twice_at_the_service_makes_one_response(survey):
    access_code = survey.access_code("Åse Ødegård")
    services.response_submit(access_code=access_code)

    with pytest.raises(services.AlreadySubmitted):
        services.response_submit(access_code=access_code)

    assert Response.objects.count() == 1


def test_sending_clears_the_answering_cookie(answering):
    answering.post(reverse("answer:summary"))

    response = answering.get(reverse("answer:summary"))

    assert response["Location"] == reverse("answer:code")


# --- codes of other rounds and municipalities ------------------------------------------


def test_code_of_another_municipality_is_not_accepted(survey):
    beta = english_client(host="beta.test")

    response = enter_code(beta, survey.codes["Åse Ødegård"])

    assert response.status_code == 400
    assert NOT_FOUND in response.text
    assert COOKIE not in response.cookies


def test_answering_cookie_does_not_work_in_another_municipality(survey, answering):
    beta = english_client(host="beta.test")
    beta.cookies[COOKIE] = answering.cookies[COOKIE].value

    response = beta.get(reverse("answer:section", args=[1]))

    assert response["Location"] == reverse("answer:code")


def test_code_of_an_earlier_round_does_not_let_anyone_answer(survey, world, questionnaires):
    earlier = make_round(world, questionnaires, name="Brukerundersøkelse 2025")
    old_codes = import_people(
        earlier, "Åse Ødegård;Bjørnstjerne Bjørnsons gate 12;3045;Drammen;n-shj;;nb;nei"
    )
    services.round_open(actor=None, round_=earlier)
    services.round_close(actor=None, round_=earlier)
    client = english_client()

    response = enter_code(client, old_codes["Åse Ødegård"])

    assert "The survey has closed" in response.text
    assert COOKIE not in response.cookies


def test_code_of_one_round_answers_that_rounds_questionnaire_only(survey, world, questionnaires):
    other = make_round(
        world,
        questionnaires,
        name="Lettlest 2026",
        units=[world.sibling],
    )
    Round.objects.filter(pk=other.pk).update(
        questionnaire=questionnaires["hso-brukerundersokelse-lettlest"]
    )
    other_codes = import_people(other, "Lise Lett;Engene 7;3015;Drammen;n-hjt;;nb;nei")
    services.round_open(actor=None, round_=other)
    client = english_client()
    enter_code(client, other_codes["Lise Lett"])
    client.post(reverse("answer:start"), {"language": "en", "on_behalf": "no"})

    client.post(reverse("answer:summary"))

    response = Response.objects.get()
    assert (response.round_id, response.questionnaire.key) == (
        other.pk,
        "hso-brukerundersokelse-lettlest",
    )


# --- rounds not open -------------------------------------------------------------------


@pytest.fixture
def later_round(world, questionnaires) -> tuple[Round, dict[str, str]]:
    """An open round whose opening time is three days ahead."""
    round_ = make_round(world, questionnaires, name="Neste runde", opens_in=timedelta(days=3))
    people = import_people(round_, "Tor Tidlig;Storgata 2;3045;Drammen;n-shj;;nb;nei")
    services.round_open(actor=None, round_=round_)
    return round_, people


def test_round_not_yet_open_says_when_it_opens(later_round):
    round_, people = later_round
    client = english_client()

    response = enter_code(client, people["Tor Tidlig"])

    with translation.override("en"):
        opens = long_date(round_.opens_at)
    assert "The survey is not open yet" in response.text
    assert f"opens on {opens}" in response.text


def test_round_not_yet_open_says_when_it_opens_in_norwegian(later_round):
    round_, people = later_round
    client = Client(HTTP_HOST="alpha.test", REMOTE_ADDR="192.0.2.10")

    response = enter_code(client, people["Tor Tidlig"])

    with translation.override("nb"):
        opens = long_date(round_.opens_at)
    assert opens in response.text


def test_round_not_yet_open_lets_nobody_in(later_round):
    _round, people = later_round
    client = english_client()

    response = enter_code(client, people["Tor Tidlig"])

    assert COOKIE not in response.cookies


def test_right_code_of_a_round_not_yet_open_is_not_counted_as_a_failure(later_round, settings):
    settings.MEDVIRK_CODE_CLIENT_FAILURES = 1
    _round, people = later_round
    client = english_client()
    enter_code(client, people["Tor Tidlig"])

    response = enter_code(client, people["Tor Tidlig"])

    assert TOO_MANY not in response.text


def test_closed_round_says_that_it_has_closed(survey):
    services.round_close(actor=None, round_=survey.round)
    client = english_client()

    response = enter_code(client, survey.codes["Åse Ødegård"])

    with translation.override("en"):
        closed = long_date(survey.round.closed_at)
    assert "The survey has closed" in response.text
    assert f"closed on {closed}" in response.text


def test_closed_round_lets_nobody_in(survey):
    services.round_close(actor=None, round_=survey.round)
    client = english_client()

    response = enter_code(client, survey.codes["Åse Ødegård"])

    assert COOKIE not in response.cookies


def test_round_closed_by_hand_while_someone_answers_shows_the_closed_page(answering, survey):
    services.round_close(actor=None, round_=survey.round)

    response = section_one(answering, **{"s-s01": "3"})

    assert "The survey has closed" in response.text


def close_behind_their_back(round_: Round) -> None:
    """The round's closing time passes while someone answers."""
    Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - timedelta(minutes=1))


def test_closing_time_passing_mid_answer_shows_the_closed_page_on_next_page(answering, survey):
    close_behind_their_back(survey.round)

    response = section_one(answering, **{"s-s01": "3"})

    assert "The survey has closed" in response.text


def test_closing_time_passing_mid_answer_shows_the_closed_page_on_sending(answering, survey):
    close_behind_their_back(survey.round)

    response = answering.post(reverse("answer:summary"))

    assert "The survey has closed" in response.text


def test_closing_time_passing_mid_answer_makes_no_response(answering, survey):
    section_one(answering, **{"s-s01": "3"})
    close_behind_their_back(survey.round)

    answering.post(reverse("answer:summary"))

    assert Response.objects.count() == 0
    assert survey.used("Åse Ødegård") is False


def test_closing_time_passing_mid_answer_is_refused_by_the_service_too(survey):
    close_behind_their_back(survey.round)

    with pytest.raises(services.RoundNotAccepting):
        services.response_submit(access_code=survey.access_code("Åse Ødegård"))

    assert Response.objects.count() == 0


# --- pages out of order ----------------------------------------------------------------


@pytest.mark.parametrize("number", [0, 5, 99])
def test_unknown_section_number_redirects_to_where_they_are(answering, number):
    response = answering.get(reverse("answer:section", args=[number]))

    assert response.status_code == 302
    assert response["Location"] == reverse("answer:section", args=[1])


def test_unknown_section_number_before_starting_redirects_to_the_start_page(survey, respondent):
    enter_code(respondent, survey.codes["Åse Ødegård"])

    response = respondent.get(reverse("answer:section", args=[99]))

    assert response["Location"] == reverse("answer:start")


def test_answers_posted_to_an_unknown_section_are_not_saved(answering, survey):
    answering.post(reverse("answer:section", args=[99]), {"action": "next", "s-s01": "3"})

    assert draft_of(survey).scores.strip("-") == ""


@pytest.mark.parametrize(
    "url",
    [
        reverse("answer:start"),
        reverse("answer:section", args=[1]),
        reverse("answer:summary"),
        reverse("answer:paused"),
    ],
)
def test_answer_pages_without_an_answering_cookie_send_them_to_the_code_page(survey, url):
    client = english_client()

    response = client.get(url)

    assert response["Location"] == reverse("answer:code")


def test_code_page_tells_them_to_type_their_code_after_such_a_redirect(survey):
    client = english_client()

    response = client.get(reverse("answer:summary"), follow=True)

    assert "Type the code from your letter to answer." in response.text


def test_sending_without_an_answering_cookie_makes_no_response(survey):
    client = english_client()

    client.post(reverse("answer:summary"))

    assert Response.objects.count() == 0


@pytest.mark.parametrize(
    "forge",
    [
        lambda pk: "forged",
        lambda pk: signing.dumps({"r": pk}, salt="another-purpose"),
        lambda pk: signing.dumps({"r": pk}, salt=SALT, key="not-the-secret-key-" * 3),
        lambda pk: signing.dumps({"r": pk}, salt=SALT) + "x",
        lambda pk: signing.b64_encode(f'{{"r":{pk}}}'.encode()).decode(),
    ],
    ids=["garbage", "other-salt", "other-key", "altered-signature", "unsigned"],
)
def test_forged_answering_cookie_is_ignored(survey, forge):
    client = english_client()
    client.cookies[COOKIE] = forge(survey.recipient("Åse Ødegård").pk)

    response = client.get(reverse("answer:section", args=[1]))

    assert response["Location"] == reverse("answer:code")


def test_forged_answering_cookie_cannot_send(survey):
    client = english_client()
    client.cookies[COOKIE] = signing.dumps(
        {"r": survey.recipient("Åse Ødegård").pk}, salt="another-purpose"
    )

    client.post(reverse("answer:summary"))

    assert Response.objects.count() == 0


def test_empty_code_is_refused_with_a_message(survey):
    client = english_client()

    response = enter_code(client, "")

    assert response.status_code == 400
    assert "Type the code from your letter." in response.text


def test_overlong_code_is_refused(survey):
    client = english_client()

    response = enter_code(client, "A" * 500)

    assert response.status_code == 400


def test_start_page_refuses_a_language_the_questionnaire_lacks(answering):
    response = answering.post(reverse("answer:start"), {"language": "sv", "on_behalf": "no"})

    assert response.status_code == 400


# --- the throttle on guessing ----------------------------------------------------------


@pytest.fixture
def frozen_now(monkeypatch):
    """Every request of the test at one moment, so none straddles a throttle window."""
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)
    return now


@pytest.fixture
def strict_throttle(settings, frozen_now):
    """Three wrong codes per client, fifty per municipality."""
    settings.MEDVIRK_CODE_CLIENT_FAILURES = 3
    settings.MEDVIRK_CODE_MUNICIPALITY_FAILURES = 50
    return settings


def guess(client: Client, times: int) -> None:
    for _ in range(times):
        enter_code(client, "ZZZZ-ZZZZ")


def guess_from_many_clients(clients: int) -> None:
    """One wrong code from each of ``clients`` different addresses."""
    for n in range(clients):
        guess(english_client(f"203.0.113.{n + 1}"), 1)


def test_wrong_codes_up_to_the_limit_get_the_not_found_message(survey, strict_throttle):
    client = english_client()
    guess(client, 2)

    response = enter_code(client, "YYYY-YYYY")

    assert NOT_FOUND in response.text


def test_right_code_is_refused_after_too_many_wrong_ones_from_a_client(survey, strict_throttle):
    client = english_client()
    guess(client, 3)

    response = enter_code(client, survey.codes["Åse Ødegård"])

    assert response.status_code == 400
    assert TOO_MANY in response.text
    assert COOKIE not in response.cookies


def test_too_many_attempts_message_says_when_to_try_again(survey, strict_throttle):
    client = english_client()
    guess(client, 3)

    response = enter_code(client, survey.codes["Åse Ødegård"])

    assert "Try again after" in response.text


def test_another_client_address_still_gets_in(survey, strict_throttle):
    guess(english_client("192.0.2.10"), 3)
    other = english_client("198.51.100.7")

    response = enter_code(other, survey.codes["Åse Ødegård"])

    assert response["Location"] == reverse("answer:start")


def test_right_codes_do_not_use_up_the_limit(survey, strict_throttle):
    client = english_client()
    enter_code(client, survey.codes["Ola Nordmann"])
    enter_code(client, survey.codes["Per Pårørende"])
    enter_code(client, survey.codes["Kari Hjemme"])

    response = enter_code(client, survey.codes["Åse Ødegård"])

    assert response.status_code == 302


def test_with_the_municipalitys_budget_used_up_a_newcomer_with_a_right_code_gets_in(
    survey, settings, frozen_now
):
    # Issue 12: a few guessing addresses must not lock every respondent out.
    settings.MEDVIRK_CODE_CLIENT_FAILURES = 100
    settings.MEDVIRK_CODE_MUNICIPALITY_FAILURES = 5
    guess_from_many_clients(5)
    newcomer = english_client("198.51.100.7")

    response = enter_code(newcomer, survey.codes["Åse Ødegård"])

    assert response["Location"] == reverse("answer:start")


def test_with_the_municipalitys_budget_used_up_a_client_that_guessed_is_blocked(
    survey, settings, frozen_now
):
    settings.MEDVIRK_CODE_CLIENT_FAILURES = 100
    settings.MEDVIRK_CODE_MUNICIPALITY_FAILURES = 5
    guess_from_many_clients(5)
    guesser = english_client("198.51.100.7")
    enter_code(guesser, "ZZZZ-ZZZZ")

    response = enter_code(guesser, survey.codes["Åse Ødegård"])

    assert TOO_MANY in response.text
    assert COOKIE not in response.cookies


def test_municipalitys_budget_holds_with_a_window_longer_than_a_day(survey, settings, monkeypatch):
    week = 7 * 24 * 3600
    # Three days into a week-long window, whatever day the test runs.
    moment = datetime.fromtimestamp(week * 2950 + 3 * 24 * 3600, tz=UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    settings.MEDVIRK_CODE_CLIENT_FAILURES = 100
    settings.MEDVIRK_CODE_MUNICIPALITY_FAILURES = 5
    settings.MEDVIRK_CODE_MUNICIPALITY_WINDOW = week
    guess_from_many_clients(5)
    newcomer = english_client("198.51.100.7")
    enter_code(newcomer, "YYYY-YYYY")

    response = enter_code(newcomer, "YYYY-YYYY")

    assert TOO_MANY in response.text


def test_municipalitys_limit_does_not_block_another_municipality(survey, settings, frozen_now):
    settings.MEDVIRK_CODE_MUNICIPALITY_FAILURES = 2
    guess(english_client("203.0.113.1"), 2)
    beta = english_client("198.51.100.7", host="beta.test")

    response = enter_code(beta, "ZZZZ-ZZZZ")

    assert NOT_FOUND in response.text


def test_throttle_keeps_no_client_address(survey, strict_throttle):
    guess(english_client("192.0.2.77"), 3)

    keys = " ".join(CodeFailureWindow.objects.values_list("key", flat=True))
    assert "192.0.2.77" not in keys
    assert CodeFailureWindow.objects.count() == 3


def test_blocked_client_is_refused_even_with_an_unused_code_and_keeps_it_unused(
    survey, strict_throttle
):
    client = english_client()
    guess(client, 3)

    enter_code(client, survey.codes["Åse Ødegård"])

    assert survey.used("Åse Ødegård") is False


# --- recipient files that are refused ---------------------------------------------------
# What a quality adviser meets when the file is refused: a message in their language that
# says what to do, and nothing imported.


@pytest.mark.parametrize("code", sorted(PROBLEM_CODES))
def test_every_import_problem_has_its_message_in_english(code):
    with translation.override("en"):
        assert str(PROBLEM_MESSAGES[code]) == PROBLEM_CODES[code]


@pytest.mark.parametrize("language", ["nb", "nn"])
@pytest.mark.parametrize("code", sorted(PROBLEM_CODES))
def test_every_import_problem_is_translated(code, language):
    with translation.override(language):
        assert str(PROBLEM_MESSAGES[code]) != PROBLEM_CODES[code]


def test_import_problems_and_their_messages_are_the_same_set():
    assert set(PROBLEM_MESSAGES) == set(PROBLEM_CODES)


@pytest.fixture
def open_round(world, questionnaires) -> Round:
    round_ = make_round(world, questionnaires)
    import_people(round_, "Åse Ødegård;Storgata 1;3045;Drammen;n-shj;;nb;nei")
    return round_


def test_zip_bomb_imports_nothing_and_says_what_to_do_in_norwegian(open_round, world, client_for):
    bomb = workbooks.workbook(
        workbooks.sheet(workbooks.repeated(workbooks.row("Kari Nordmann " * 2000), 300))
    )
    task = tasks.enqueue(
        kind="surveys.import_recipients",
        municipality=world.alpha,
        actor=world.people["adviser"],
        params={"round": open_round.pk},
        payload=bomb,
    )

    tasks.run_pending()
    page = client_for("adviser").get(reverse("core:task_status", args=[task.pk])).text

    assert "Lagre listen som CSV i Excel" in page
    assert list(Recipient.objects.filter(round=open_round).values_list("name", flat=True)) == [
        "Åse Ødegård"
    ]


def test_title_row_above_the_headings_imports_the_rows_below_it(open_round):
    data = csv_bytes(
        "Per Hansen;Storgata 2;3045;Drammen;n-shj;;nb;nei",
        header="Mottakerliste Brukerundersøkelse 2026;;;;;;;\n" + HEADER,
    )

    report = services.recipients_import(actor=None, round_=open_round, data=data)

    assert (report.applied, report.imported, [p.code for p in report.parsed.problems]) == (
        True,
        1,
        ["title_rows_skipped"],
    )
