"""The default letter texts: valid in the body format, complete, and true to the municipality's
own invitation letter."""

from __future__ import annotations

import itertools
import re

import pytest

from medvirk.letters import text
from medvirk.letters.defaults import AUDIENCES, KINDS, LANGUAGES, DefaultText, default_text

THEMES = {
    "nb": ["Trivsel og trygghet", "Medvirkning og samarbeid", "Min hverdag"],
    "nn": ["Trivsel og tryggleik", "Medverknad og samarbeid", "Kvardagen min"],
    "en": ["Well-being and safety", "Involvement and cooperation", "My daily life"],
}
EVERY_LETTER = list(itertools.product(KINDS, AUDIENCES, LANGUAGES))
EVERY_INVITATION = list(itertools.product(AUDIENCES, LANGUAGES))


def letter(kind: str, audience: str, language: str) -> DefaultText:
    return default_text(kind=kind, audience=audience, language=language, themes=THEMES[language])


def nb_user_invitation() -> DefaultText:
    return letter("invitation", "users", "nb")


def lists(body: str) -> list[list[str]]:
    return [list(block.lines) for block in text.blocks(body, {}) if block.kind == "list"]


@pytest.mark.parametrize(("kind", "audience", "language"), EVERY_LETTER)
def test_every_default_body_passes_the_checks(kind, audience, language):
    assert text.problems(letter(kind, audience, language).body) == []


@pytest.mark.parametrize(("kind", "audience", "language"), EVERY_LETTER)
def test_every_default_title_uses_only_known_placeholders(kind, audience, language):
    assert text.problems(letter(kind, audience, language).title, require_qr=False) == []


@pytest.mark.parametrize(("kind", "audience", "language"), EVERY_LETTER)
def test_every_default_has_a_closing_line(kind, audience, language):
    assert letter(kind, audience, language).closing.strip()


@pytest.mark.parametrize(("kind", "audience", "language"), EVERY_LETTER)
def test_every_default_has_the_code_box_exactly_once(kind, audience, language):
    body = letter(kind, audience, language).body

    assert body.count("{qr}") == 1
    assert [block.kind for block in text.blocks(body, {})].count("qr") == 1


@pytest.mark.parametrize(("kind", "audience", "language"), EVERY_LETTER)
def test_every_default_says_when_the_survey_closes(kind, audience, language):
    assert "{stenger}" in letter(kind, audience, language).body


@pytest.mark.parametrize(("kind", "audience", "language"), EVERY_LETTER)
def test_every_default_gives_a_contact_person_and_phone(kind, audience, language):
    body = letter(kind, audience, language).body

    assert "{kontaktperson}" in body
    assert "{telefon}" in body


@pytest.mark.parametrize(("kind", "audience", "language"), EVERY_LETTER)
def test_every_default_says_where_to_answer(kind, audience, language):
    assert "{nettadresse}" in letter(kind, audience, language).body


@pytest.mark.parametrize(("audience", "language"), EVERY_INVITATION)
def test_an_invitation_says_when_the_survey_opens(audience, language):
    assert "{apner}" in letter("invitation", audience, language).body


@pytest.mark.parametrize(("audience", "language"), EVERY_INVITATION)
def test_an_invitation_lists_the_themes_it_is_given(audience, language):
    body = letter("invitation", audience, language).body

    assert THEMES[language] in lists(body)


@pytest.mark.parametrize(("audience", "language"), EVERY_INVITATION)
def test_an_invitation_counts_the_statements(audience, language):
    assert "{antall_utsagn}" in letter("invitation", audience, language).body


@pytest.mark.parametrize(("audience", "language"), EVERY_INVITATION)
def test_a_reminder_is_shorter_than_the_invitation(audience, language):
    invitation = letter("invitation", audience, language)
    reminder = letter("reminder", audience, language)

    assert len(reminder.body) < len(invitation.body)


@pytest.mark.parametrize(("audience", "language"), EVERY_INVITATION)
def test_an_invitation_with_no_themes_has_no_dangling_list(audience, language):
    body = default_text(kind="invitation", audience=audience, language=language, themes=[]).body

    assert text.problems(body) == []
    assert not any(
        line.rstrip().endswith(":") and "{antall_utsagn}" in line for line in body.splitlines()
    )


def test_a_theme_is_put_on_one_line():
    body = default_text(
        kind="invitation", audience="users", language="nb", themes=["  Min\n  hverdag "]
    ).body

    assert ["Min hverdag"] in lists(body)


def test_braces_in_a_theme_cannot_make_a_placeholder():
    body = default_text(
        kind="invitation", audience="users", language="nb", themes=["Hverdag {navn}", "{qr}"]
    ).body

    assert text.problems(body) == []
    assert body.count("{qr}") == 1


def test_a_theme_that_is_only_whitespace_is_left_out():
    body = default_text(
        kind="invitation", audience="users", language="nb", themes=["Min hverdag", "  "]
    ).body

    assert ["Min hverdag"] in lists(body)


def test_a_reminder_does_not_list_the_themes():
    body = letter("reminder", "users", "nb").body

    assert THEMES["nb"] not in lists(body)


def test_the_nb_user_invitation_keeps_the_confidentiality_promise_verbatim():
    # As in the seed's letter, the promise ends the paragraph about the scale.
    paragraphs = [
        " ".join(block.lines)
        for block in text.blocks(nb_user_invitation().body, {})
        if block.kind == "paragraph"
    ]

    assert [p for p in paragraphs if p.startswith("Vi ber deg vurdere")][0].endswith(
        "Alle svar vil bli behandlet konfidensielt. Ingen ved det enkelte tjenestested vil få "
        "tilgang til enkeltbesvarelser."
    )


def test_the_nb_user_invitation_says_the_code_is_personal():
    assert "Koden er personlig og må ikke deles med andre." in nb_user_invitation().body


def test_the_nb_user_invitation_ends_with_thanks():
    paragraphs = [b for b in text.blocks(nb_user_invitation().body, {}) if b.kind == "paragraph"]

    assert paragraphs[-1].lines == ("Takk for hjelpen!",)


def test_the_nb_user_invitation_has_the_municipalitys_heading():
    assert nb_user_invitation().title == (
        "Invitasjon til brukerundersøkelse for helse, sosial og omsorg (HSO) i {kommune}"
    )


def test_the_nb_user_invitation_closes_with_med_vennlig_hilsen():
    assert nb_user_invitation().closing == "Med vennlig hilsen"


def test_the_nb_user_invitation_tells_how_to_answer_before_the_code_box():
    blocks = text.blocks(nb_user_invitation().body, {"nettadresse": "medvirk.example.no/svar"})
    qr = [block.kind for block in blocks].index("qr")
    steps = blocks[qr - 1]

    assert steps.kind == "list"
    assert steps.lines[0] == "Gå inn på medvirk.example.no/svar og tast inn koden nedenfor, eller"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_relatives_invitation_says_why_the_recipient_gets_it(language):
    why = {
        "nb": "Du får dette brevet fordi du er pårørende til en som mottar tjenester",
        "nn": "Du får dette brevet fordi du er pårørande til ein som får tenester",
        "en": "You are receiving this letter because you are a relative of someone who receives",
    }
    assert why[language] in letter("invitation", "relatives", language).body


@pytest.mark.parametrize(("audience", "language"), EVERY_INVITATION)
def test_a_reminder_tells_those_who_have_answered_to_disregard_it(audience, language):
    disregard = {
        "nb": "kan du se bort fra dette brevet",
        "nn": "kan du sjå bort frå dette brevet",
        "en": "please ignore this letter",
    }
    assert disregard[language] in letter("reminder", audience, language).body


@pytest.mark.parametrize(("kind", "audience"), list(itertools.product(KINDS, AUDIENCES)))
def test_the_nynorsk_defaults_have_no_bokmal_words(kind, audience):
    bokmal = {
        "jeg",
        "ikke",
        "hva",
        "hvor",
        "hvordan",
        "mottar",
        "tjenester",
        "undersøkelsen",
        "pårørende",
        "hilsen",
        "fra",
        "også",
        "noen",
        "hjelpen",
    }
    nynorsk = letter(kind, audience, "nn")
    words = set(
        re.findall(r"[a-zæøå]+", f"{nynorsk.title} {nynorsk.body} {nynorsk.closing}".lower())
    )

    assert not words & bokmal


@pytest.mark.parametrize(
    "wrong",
    [
        {"kind": "letter"},
        {"audience": "staff"},
        {"language": "se"},
        {"language": "NB"},
    ],
)
def test_an_unknown_kind_audience_or_language_is_refused(wrong):
    arguments = {"kind": "invitation", "audience": "users", "language": "nb", **wrong}

    with pytest.raises(ValueError, match="unknown"):
        default_text(**arguments, themes=[])
