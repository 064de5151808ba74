"""On a shared tablet: the answering session ends after a while without activity, and every
answer page offers to stop and continue later (issue 12, part 4)."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from medvirk.surveys.views.answering import COOKIE

from .conftest import Survey
from .test_answering import enter_code, find_all, page, started

IDLE_NOTICE = (
    "Vi har lukket svaret ditt etter 30 minutter uten aktivitet. Svarene du har gitt er "
    "lagret. Skriv koden fra brevet for å fortsette."
)


@pytest.fixture
def clock(monkeypatch):
    """Moves the clock the signed cookie is stamped and read with."""

    class Clock:
        offset = 0.0

        def later(self, *, minutes: float) -> None:
            self.offset += minutes * 60

    moved = Clock()
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + moved.offset)  # signing reads it
    return moved


@pytest.fixture
def answering(survey: Survey, respondent: Client) -> Client:
    """Åse has answered statement 1 on section 1 and is on section 2."""
    started(respondent, survey)
    respondent.post(reverse("answer:section", args=[1]), {"action": "next", "s-s01": "2"})
    return respondent


# --- idle time --------------------------------------------------------------------------------


def test_after_thirty_minutes_without_a_page_the_answers_are_closed(answering, clock):
    clock.later(minutes=31)

    response = answering.get(reverse("answer:section", args=[2]))

    assert response["Location"] == reverse("answer:code")


def test_the_closed_answers_say_why_in_norwegian(answering, clock):
    clock.later(minutes=31)

    response = answering.get(reverse("answer:section", args=[2]), follow=True)

    assert IDLE_NOTICE in response.text


def test_the_closed_answers_do_not_show_what_was_answered(answering, clock):
    clock.later(minutes=31)

    response = answering.get(reverse("answer:section", args=[1]), follow=True)

    assert 'value="2" checked' not in response.text
    assert response.redirect_chain[-1][0] == reverse("answer:code")


def test_the_closed_answers_cannot_be_sent_by_the_next_person(answering, clock, survey):
    clock.later(minutes=31)

    answering.post(reverse("answer:summary"))

    assert survey.used("Åse Ødegård") is False


def test_the_answers_are_kept_for_the_code(answering, clock, survey):
    clock.later(minutes=31)
    answering.get(reverse("answer:section", args=[2]))

    enter_code(answering, survey.codes["Åse Ødegård"])
    response = answering.get(reverse("answer:section", args=[1]))

    assert 'value="2" checked' in response.text


def test_each_page_starts_the_idle_time_afresh(answering, clock):
    clock.later(minutes=20)
    answering.get(reverse("answer:section", args=[2]))
    clock.later(minutes=20)

    response = answering.get(reverse("answer:section", args=[2]))

    assert response.status_code == 200


def test_the_idle_time_is_a_setting(answering, clock, settings):
    settings.MEDVIRK_ANSWER_IDLE_MINUTES = 10
    clock.later(minutes=11)

    response = answering.get(reverse("answer:section", args=[2]), follow=True)

    assert "etter 10 minutter uten aktivitet" in response.text


def test_under_the_idle_time_the_answers_stay_open(answering, clock):
    clock.later(minutes=29)

    response = answering.get(reverse("answer:section", args=[2]))

    assert response.status_code == 200


# --- stop and continue later ----------------------------------------------------------------


def pause_buttons(response) -> list[dict[str, str | None]]:
    return [
        dict(button.attributes)
        for button in find_all(page(response), "button", type="submit")
        if dict(button.attributes).get("value") == "pause"
    ]


@pytest.mark.parametrize(
    "url",
    [
        reverse("answer:start"),
        reverse("answer:section", args=[1]),
        reverse("answer:section", args=[4]),
        reverse("answer:summary"),
    ],
)
def test_every_answer_page_offers_to_stop_and_continue_later(survey, respondent, url):
    started(respondent, survey)

    response = respondent.get(url)

    assert len(pause_buttons(response)) == 1
    assert "Avbryt og fortsett senere" in response.text


def test_stopping_on_the_start_page_keeps_what_was_chosen(survey, respondent):
    enter_code(respondent, survey.codes["Åse Ødegård"])

    response = respondent.post(
        reverse("answer:start"), {"language": "nn", "on_behalf": "yes", "action": "pause"}
    )

    draft = survey.draft("Åse Ødegård")
    assert response["Location"] == reverse("answer:paused")
    assert draft is not None
    assert (draft.language, draft.on_behalf) == ("nn", True)


def test_stopping_on_the_start_page_without_a_choice_still_stops(survey, respondent):
    enter_code(respondent, survey.codes["Åse Ødegård"])

    response = respondent.post(reverse("answer:start"), {"action": "pause"})

    assert response["Location"] == reverse("answer:paused")


def test_stopping_on_a_section_keeps_what_was_typed_there(survey, respondent):
    started(respondent, survey)

    respondent.post(
        reverse("answer:section", args=[4]), {"action": "pause", "t-kommentar": "Halvveis."}
    )

    draft = survey.draft("Åse Ødegård")
    assert draft is not None
    assert draft.texts == {"kommentar": "Halvveis."}


def test_stopping_on_the_summary_sends_nothing(survey, respondent):
    started(respondent, survey)

    response = respondent.post(reverse("answer:summary"), {"action": "pause"})

    assert response["Location"] == reverse("answer:paused")
    assert survey.used("Åse Ødegård") is False


def test_after_stopping_the_browser_no_longer_opens_the_answers(survey, respondent):
    started(respondent, survey)
    respondent.post(reverse("answer:summary"), {"action": "pause"})

    respondent.get(reverse("answer:paused"))
    response = respondent.get(reverse("answer:section", args=[1]))

    assert response["Location"] == reverse("answer:code")
    assert respondent.cookies[COOKIE].value == ""
