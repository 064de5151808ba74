"""The built-in questionnaire files, and how the parser reports a faulty definition.

Plain functions: nothing here needs Django or a database.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from medvirk.surveys.questionnaire import (
    BUILT_IN_DIR,
    QuestionnaireError,
    QuestionnaireSpec,
    built_in_files,
    load_file,
    parse,
)

SURVEY_2016 = BUILT_IN_DIR / "hso-brukerundersokelse-2016.toml"
RELATIVES = BUILT_IN_DIR / "hso-parorendeundersokelse.toml"
EASY_READ = BUILT_IN_DIR / "hso-brukerundersokelse-lettlest.toml"

# The specification: the 23 statements of the 2016 user survey, word for word and with the
# punctuation of the municipality's document ("Brukerundersøkelse spørsmål:", first listing).
STATEMENTS_2016 = [
    "Jeg er trygg på at jeg får bistand når jeg trenger det",
    "Jeg får tjenestene til avtalt tid",
    "De som bistår meg viser meg respekt",
    "Jeg trives godt der jeg bor",
    "Jeg føler meg trygg der jeg bor",
    "Jeg er alt i alt tilfreds med bistanden jeg får fra kommunen",
    "Jeg er bevisst hva jeg trenger bistand til",
    "Jeg blir spurt om hva som er viktig for meg",
    "Jeg er bevisst hva jeg kan mestre selv",
    "Jeg får bistand til å se hva jeg kan mestre selv",
    "Jeg har, i samarbeid med tjenestene, satt mål for egen utvikling",
    "Tjenestene jeg mottar bidrar til at jeg mestrer mer selv",
    "De som bistår meg er interessert i mine tilbakemeldinger på tjenestene",
    "De som bistår meg samarbeider godt med hverandre",
    "Jeg kan delta i fysiske, sosiale og kulturelle aktiviteter",
    "Min bosituasjon gjør det mulig å ha et privatliv",
    "Min bosituasjon gjør det mulig å være sosial",
    "Min bosituasjon gjør det mulig å være fysisk aktiv",
    "Jeg har nytte av hjelpemidler i hverdagen.",
    "Jeg vet hvilke teknologiske løsninger (evt hjelpemidler) som kan være nyttige for meg",
    "Jeg bruker digitale hjelpemidler i hverdagen.",
    "Jeg vet hvor jeg kan finne informasjon om det å ta helsevennlige valg "
    "(kosthold, mosjon, med mer)",
    "Det er lett for meg å kunne ta helsevennlige valg (kosthold, mosjon, med mer)",
]


def file_id(path: Path) -> str:
    return path.name


# --- The built-in files ----------------------------------------------------------------------


def test_the_three_hso_questionnaires_are_built_in() -> None:
    assert {SURVEY_2016, RELATIVES, EASY_READ} <= set(built_in_files())


@pytest.mark.parametrize("path", built_in_files(), ids=file_id)
def test_built_in_file_parses(path: Path) -> None:
    assert isinstance(load_file(path), QuestionnaireSpec)


@pytest.mark.parametrize("path", built_in_files(), ids=file_id)
def test_built_in_file_has_every_text_in_bokmal_nynorsk_and_english(path: Path) -> None:
    spec = load_file(path)

    languages = {where: set(field.values) for where, field in spec.text_fields()}

    assert languages == dict.fromkeys(languages, {"nb", "nn", "en"})


def test_built_in_files_have_distinct_keys() -> None:
    keys = [load_file(path).key for path in built_in_files()]

    assert len(keys) == len(set(keys))


def test_2016_statements_are_the_municipality_s_wording_in_order() -> None:
    spec = load_file(SURVEY_2016)

    assert [statement.text.get("nb") for statement in spec.statements] == STATEMENTS_2016


def test_2016_statement_keys_run_from_s01_to_s23() -> None:
    spec = load_file(SURVEY_2016)

    assert [statement.key for statement in spec.statements] == [f"s{n:02}" for n in range(1, 24)]


def test_2016_has_three_themes_of_6_8_and_9_statements_then_a_comment_field() -> None:
    spec = load_file(SURVEY_2016)

    pages = [
        (section.title.get("nb"), len(section.statements), len(section.free_texts))
        for section in spec.sections
    ]

    assert pages == [
        ("Trivsel og trygghet", 6, 0),
        ("Medvirkning og samarbeid", 8, 0),
        ("Min hverdag", 9, 0),
        ("Kommentar", 0, 1),
    ]


def test_2016_asks_how_important_each_statement_is() -> None:
    spec = load_file(SURVEY_2016)

    assert [statement.importance for statement in spec.statements] == [True] * 23


def test_relatives_survey_is_for_relatives() -> None:
    assert load_file(RELATIVES).audience == "relatives"


def test_easy_read_scale_has_three_points_no_a_little_yes() -> None:
    spec = load_file(EASY_READ)

    labels = [label.get("nb") for label in spec.scale.labels]

    assert (spec.scale.points, labels) == (3, ["Nei", "Litt", "Ja"])


def test_easy_read_does_not_ask_about_importance() -> None:
    spec = load_file(EASY_READ)

    assert (spec.importance, [s.importance for s in spec.statements]) == (None, [False] * 12)


def test_easy_read_has_fewer_statements_than_the_2016_survey() -> None:
    assert len(load_file(EASY_READ).statements) < len(load_file(SURVEY_2016).statements)


# --- How the parser reports faults ------------------------------------------------------------


def text(wording: str) -> dict[str, str]:
    return {"nb": wording, "nn": wording, "en": wording}


def definition() -> dict[str, Any]:
    """A small valid definition, fresh on every call, for the tests to break."""
    return {
        "key": "test",
        "version": 1,
        "audience": "users",
        "languages": ["nb", "nn", "en"],
        "title": text("Test"),
        "scale": {"points": 2, "labels": [text("Nei"), text("Ja")]},
        "sections": [
            {
                "key": "a",
                "title": text("A"),
                "statements": [{"key": "s01", "text": text("Jeg trives")}],
            }
        ],
    }


def test_small_definition_parses() -> None:
    assert parse(definition()).statement("s01").number == 1


def test_missing_nynorsk_text_is_reported_with_its_path() -> None:
    data = definition()
    del data["sections"][0]["statements"][0]["text"]["nn"]

    with pytest.raises(QuestionnaireError) as caught:
        parse(data)

    assert caught.value.problems == ["sections.0.statements.0.text.nn: is missing"]


def test_scale_with_fewer_labels_than_points_is_refused() -> None:
    data = definition()
    data["scale"]["points"] = 3

    with pytest.raises(QuestionnaireError) as caught:
        parse(data)

    assert caught.value.problems == ["scale.labels: must list 3 labels, lowest first"]


def test_statement_key_used_twice_is_refused() -> None:
    data = definition()
    data["sections"][0]["statements"].append({"key": "s01", "text": text("Jeg er trygg")})

    with pytest.raises(QuestionnaireError) as caught:
        parse(data)

    assert caught.value.problems == ["sections.0.statements.1.key: 's01' is used twice"]


def test_file_problems_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('key = "broken"\n', encoding="utf-8")

    with pytest.raises(QuestionnaireError) as caught:
        load_file(path)

    assert {problem.split(": ")[0] for problem in caught.value.problems} == {"broken.toml"}


def test_six_point_scale_as_in_ks_bedrekommune_parses() -> None:
    data = definition()
    words = ["helt uenig", "uenig", "litt uenig", "litt enig", "enig", "helt enig"]
    data["scale"] = {"points": 6, "labels": [text(word) for word in words]}

    spec = parse(data)

    assert (spec.scale.points, [str(label) for label in spec.scale.labels]) == (6, words)
