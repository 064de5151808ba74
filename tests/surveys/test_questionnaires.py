"""Questionnaires in the database: loading the built-in files, copying, editing wording and
the versions that editing makes (services), and the staff pages that do it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from medvirk.organisation.models import AuditEntry
from medvirk.surveys import services
from medvirk.surveys.models import Questionnaire, Round
from medvirk.surveys.questionnaire import QuestionnaireError

from .conftest import import_people, make_round

USER_SURVEY = "hso-brukerundersokelse-2016"
FIRST_STATEMENT = "sections.0.statements.0.text"
FIRST_STATEMENT_NB = "Jeg er trygg på at jeg får bistand når jeg trenger det"
NEW_WORDING = "Jeg er trygg på at jeg får hjelp når jeg trenger det"

SMALL_FILE = """
key = "test-skjema"
version = {version}
audience = "users"
languages = ["nb"]

[title]
nb = "{title}"

[scale]
points = 3
labels = [{{ nb = "Nei" }}, {{ nb = "Litt" }}, {{ nb = "Ja" }}]

[[sections]]
key = "alt"
title = {{ nb = "Alt" }}

[[sections.statements]]
key = "a01"
text = {{ nb = "Jeg trives" }}
"""


def write_file(directory: Path, *, version: int = 1, title: str = "Testskjema") -> Path:
    path = directory / "test-skjema.toml"
    path.write_text(SMALL_FILE.format(version=version, title=title), encoding="utf-8")
    return path


def statement_text(questionnaire: Questionnaire, language: str = "nb") -> str:
    stored = Questionnaire.objects.get(pk=questionnaire.pk)
    return stored.spec.statements[0].text.get(language)


@pytest.fixture
def own_copy(world, questionnaires) -> Questionnaire:
    return services.questionnaire_copy(
        actor=None, municipality=world.alpha, source=questionnaires[USER_SURVEY]
    )


def round_with(world, questionnaires, questionnaire: Questionnaire, name: str) -> Round:
    """A round (draft) of the world's units that uses ``questionnaire`` for users."""
    return make_round(world, {**questionnaires, USER_SURVEY: questionnaire}, name=name)


def open_round_with(world, questionnaires, questionnaire: Questionnaire, name: str) -> Round:
    round_ = round_with(world, questionnaires, questionnaire, name)
    import_people(round_, "Åse Ødegård;Bjørnstjerne Bjørnsons gate 12;3045;Drammen;n-shj;;nb;nei")
    services.round_open(actor=None, round_=round_)
    return round_


def form_data(questionnaire: Questionnaire, language: str = "nb", **changed: str) -> dict[str, str]:
    """Every text of the edit form as the page fills it in, with ``changed`` paths replaced.

    A path's dots are written as ``__`` in the keyword: sections__0__statements__0__text.
    """
    replaced = {path.replace("__", "."): value for path, value in changed.items()}
    return {
        f"text-{index}": replaced.get(path, text.values.get(language, ""))
        for index, (path, text) in enumerate(questionnaire.spec.text_fields())
    }


# --- loading the built-in files --------------------------------------------------------


def test_loading_the_built_in_files_twice_changes_nothing(db):
    first = services.questionnaire_load_builtin()
    second = services.questionnaire_load_builtin()

    assert {entry.created for entry in first} == {True}
    assert {entry.created for entry in second} == {False}
    assert [e.questionnaire.pk for e in first] == [e.questionnaire.pk for e in second]
    assert Questionnaire.objects.count() == len(first) == 3


def test_a_new_file_is_loaded_as_a_built_in_questionnaire(db, tmp_path):
    (entry,) = services.questionnaire_load_builtin(files=[write_file(tmp_path)])

    assert entry.created
    assert (entry.questionnaire.key, entry.questionnaire.version) == ("test-skjema", 1)
    assert entry.questionnaire.is_built_in
    assert entry.questionnaire.title_in("nb") == "Testskjema"


def test_a_changed_file_with_the_same_version_is_refused(db, tmp_path):
    services.questionnaire_load_builtin(files=[write_file(tmp_path)])
    changed = write_file(tmp_path, title="Endret tittel")

    with pytest.raises(QuestionnaireError, match="raise `version`"):
        services.questionnaire_load_builtin(files=[changed])

    assert Questionnaire.objects.get(key="test-skjema").title_in("nb") == "Testskjema"


def test_a_changed_file_with_a_new_version_is_loaded_next_to_the_old(db, tmp_path):
    services.questionnaire_load_builtin(files=[write_file(tmp_path)])

    services.questionnaire_load_builtin(files=[write_file(tmp_path, version=2, title="Ny")])

    assert {(q.version, q.title_in("nb")) for q in Questionnaire.objects.all()} == {
        (1, "Testskjema"),
        (2, "Ny"),
    }


# --- copying ---------------------------------------------------------------------------


def test_copy_belongs_to_the_municipality_with_a_key_of_its_own(world, questionnaires):
    source = questionnaires[USER_SURVEY]

    copy = services.questionnaire_copy(
        actor=world.people["adviser"], municipality=world.alpha, source=source
    )

    assert (copy.municipality, copy.key, copy.version) == (world.alpha, f"{USER_SURVEY}-kopi", 1)
    assert (copy.audience, copy.based_on) == (source.audience, source)
    assert copy.spec.statements == source.spec.statements
    assert Questionnaire.objects.get(pk=source.pk).municipality is None


def test_second_copy_gets_a_numbered_key(world, questionnaires, own_copy):
    second = services.questionnaire_copy(
        actor=None, municipality=world.alpha, source=questionnaires[USER_SURVEY]
    )

    assert second.key == f"{USER_SURVEY}-kopi-2"


def test_copy_of_another_municipalitys_questionnaire_is_refused(world, own_copy):
    with pytest.raises(ValidationError):
        services.questionnaire_copy(actor=None, municipality=world.beta, source=own_copy)

    assert not Questionnaire.objects.filter(municipality=world.beta).exists()


def test_copying_is_audited(world, questionnaires):
    copy = services.questionnaire_copy(
        actor=world.people["adviser"], municipality=world.alpha, source=questionnaires[USER_SURVEY]
    )

    entry = AuditEntry.objects.get(action="questionnaire.copy")
    assert (entry.actor, entry.target_id) == (world.people["adviser"], str(copy.pk))


# --- editing texts ---------------------------------------------------------------------


def test_unused_copy_is_edited_in_place(own_copy):
    english = statement_text(own_copy, "en")

    saved = services.questionnaire_update_texts(
        actor=None, questionnaire=own_copy, language="nb", texts={FIRST_STATEMENT: NEW_WORDING}
    )

    assert (saved.pk, saved.version) == (own_copy.pk, 1)
    assert statement_text(own_copy) == NEW_WORDING
    assert statement_text(own_copy, "en") == english


def test_copy_used_only_by_draft_rounds_is_edited_in_place(world, questionnaires, own_copy):
    round_ = round_with(world, questionnaires, own_copy, "Utkast")

    saved = services.questionnaire_update_texts(
        actor=None, questionnaire=own_copy, language="nb", texts={FIRST_STATEMENT: NEW_WORDING}
    )

    assert saved.pk == own_copy.pk
    assert Round.objects.get(pk=round_.pk).questionnaire == own_copy


def test_copy_in_use_by_an_open_round_cannot_change(world, questionnaires, own_copy):
    open_round_with(world, questionnaires, own_copy, "Vårundersøkelsen")

    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.questionnaire_update_texts(
            actor=None,
            questionnaire=own_copy,
            language="nb",
            texts={FIRST_STATEMENT: NEW_WORDING},
        )

    assert exc.value.messages == [
        "The round Vårundersøkelsen is open with this questionnaire, so it cannot change now."
    ]
    assert statement_text(own_copy) == FIRST_STATEMENT_NB


def test_copy_used_by_a_closed_round_changes_as_a_new_version(world, questionnaires, own_copy):
    closed = open_round_with(world, questionnaires, own_copy, "Vår 2026")
    services.round_close(actor=None, round_=closed)

    saved = services.questionnaire_update_texts(
        actor=None, questionnaire=own_copy, language="nb", texts={FIRST_STATEMENT: NEW_WORDING}
    )

    assert (saved.key, saved.version, saved.based_on) == (own_copy.key, 2, own_copy)
    assert statement_text(saved) == NEW_WORDING
    assert statement_text(own_copy) == FIRST_STATEMENT_NB
    assert Round.objects.get(pk=closed.pk).questionnaire == own_copy


def test_new_version_moves_draft_rounds_and_leaves_the_closed_round(
    world, questionnaires, own_copy
):
    closed = open_round_with(world, questionnaires, own_copy, "Vår 2026")
    services.round_close(actor=None, round_=closed)
    draft = round_with(world, questionnaires, own_copy, "Høst 2026")

    saved = services.questionnaire_update_texts(
        actor=None, questionnaire=own_copy, language="nb", texts={FIRST_STATEMENT: NEW_WORDING}
    )

    assert Round.objects.get(pk=draft.pk).questionnaire == saved
    assert Round.objects.get(pk=closed.pk).questionnaire == own_copy


def test_relatives_copy_makes_a_new_version_for_draft_rounds_too(world, questionnaires):
    relatives_copy = services.questionnaire_copy(
        actor=None, municipality=world.alpha, source=questionnaires["hso-parorendeundersokelse"]
    )
    mine = {**questionnaires, "hso-parorendeundersokelse": relatives_copy}
    closed = make_round(world, mine, name="Vår 2026")
    import_people(closed, "Per Pårørende;Tollbugata 3;3044;Drammen;n-shj;;nb;ja")
    services.round_open(actor=None, round_=closed)
    services.round_close(actor=None, round_=closed)
    draft = make_round(world, mine, name="Høst 2026")

    saved = services.questionnaire_update_texts(
        actor=None, questionnaire=relatives_copy, language="nb", texts={"title": "Pårørende"}
    )

    assert saved.version == 2
    assert Round.objects.get(pk=draft.pk).relatives_questionnaire == saved
    assert Round.objects.get(pk=closed.pk).relatives_questionnaire == relatives_copy


def test_built_in_questionnaire_cannot_change(questionnaires):
    built_in = questionnaires[USER_SURVEY]

    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.questionnaire_update_texts(
            actor=None, questionnaire=built_in, language="nb", texts={FIRST_STATEMENT: "Endret"}
        )

    assert exc.value.messages == [
        "A built-in questionnaire cannot be changed. Make a copy and edit that."
    ]
    assert statement_text(built_in) == FIRST_STATEMENT_NB


def test_an_empty_text_is_refused(own_copy):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.questionnaire_update_texts(
            actor=None, questionnaire=own_copy, language="nb", texts={FIRST_STATEMENT: "   "}
        )

    assert exc.value.messages == ["Some texts are empty. Write a text in every field."]
    assert statement_text(own_copy) == FIRST_STATEMENT_NB


def test_unchanged_texts_change_nothing_and_write_no_audit_entry(own_copy):
    saved = services.questionnaire_update_texts(
        actor=None,
        questionnaire=own_copy,
        language="nb",
        texts={FIRST_STATEMENT: FIRST_STATEMENT_NB},
    )

    assert saved.pk == own_copy.pk
    assert not AuditEntry.objects.filter(action="questionnaire.update_texts").exists()


def test_editing_texts_is_audited_with_old_and_new_wording(world, own_copy):
    services.questionnaire_update_texts(
        actor=world.people["adviser"],
        questionnaire=own_copy,
        language="nb",
        texts={FIRST_STATEMENT: NEW_WORDING},
    )

    entry = AuditEntry.objects.get(action="questionnaire.update_texts")
    assert entry.changes == {FIRST_STATEMENT: [FIRST_STATEMENT_NB, NEW_WORDING]}


# --- the staff pages -------------------------------------------------------------------


def test_edit_page_shows_the_texts_in_bokmal(client_for, own_copy):
    page = client_for("adviser").get(reverse("surveys:questionnaire_edit", args=[own_copy.pk]))

    assert page.status_code == 200
    assert FIRST_STATEMENT_NB in page.text


def test_changed_wording_is_saved_and_shown_on_the_questionnaire_page(client_for, own_copy):
    client = client_for("adviser")

    saved = client.post(
        reverse("surveys:questionnaire_edit", args=[own_copy.pk]),
        form_data(own_copy, sections__0__statements__0__text=NEW_WORDING),
    )
    detail = client.get(saved["Location"])

    assert saved.status_code == 302
    assert saved["Location"] == f"{own_copy.get_absolute_url()}?lang=nb"
    assert NEW_WORDING in detail.text
    assert FIRST_STATEMENT_NB not in detail.text


def test_edit_page_in_english_changes_only_the_english_text(client_for, own_copy):
    client_for("adviser").post(
        reverse("surveys:questionnaire_edit", args=[own_copy.pk]) + "?lang=en",
        form_data(own_copy, "en", sections__0__statements__0__text="I feel safe"),
    )

    assert statement_text(own_copy, "en") == "I feel safe"
    assert statement_text(own_copy, "nb") == FIRST_STATEMENT_NB


def test_saving_the_edit_page_unchanged_makes_no_new_version(
    world, questionnaires, client_for, own_copy
):
    closed = open_round_with(world, questionnaires, own_copy, "Vår 2026")
    services.round_close(actor=None, round_=closed)

    saved = client_for("adviser").post(
        reverse("surveys:questionnaire_edit", args=[own_copy.pk]), form_data(own_copy)
    )

    assert saved.status_code == 302
    assert Questionnaire.objects.filter(key=own_copy.key).count() == 1


def test_edit_page_of_a_copy_in_an_open_round_says_which_round(
    world, questionnaires, client_for, own_copy
):
    open_round_with(world, questionnaires, own_copy, "Vårundersøkelsen")
    client = client_for("adviser")
    client.cookies["medvirk_language"] = "en"

    page = client.post(
        reverse("surveys:questionnaire_edit", args=[own_copy.pk]),
        form_data(own_copy, sections__0__statements__0__text=NEW_WORDING),
    )

    assert page.status_code == 400
    assert "The round Vårundersøkelsen is open with this questionnaire" in page.text
    assert NEW_WORDING in page.text
    assert statement_text(own_copy) == FIRST_STATEMENT_NB


def test_edit_page_refuses_an_emptied_text_and_keeps_the_others(client_for, own_copy):
    client = client_for("adviser")
    client.cookies["medvirk_language"] = "en"

    page = client.post(
        reverse("surveys:questionnaire_edit", args=[own_copy.pk]),
        form_data(own_copy, title="", sections__0__statements__0__text=NEW_WORDING),
    )

    assert page.status_code == 400
    assert "Write a text here; it cannot be empty." in page.text
    assert NEW_WORDING in page.text
    assert statement_text(own_copy) == FIRST_STATEMENT_NB


def test_copy_button_makes_a_copy_and_opens_it(client_for, world, questionnaires):
    source = questionnaires[USER_SURVEY]

    response = client_for("adviser").post(reverse("surveys:questionnaire_copy", args=[source.pk]))

    copy = Questionnaire.objects.get(municipality=world.alpha)
    assert response.status_code == 302
    assert response["Location"] == copy.get_absolute_url()
    assert copy.key == f"{USER_SURVEY}-kopi"


def test_copy_page_offers_editing_only_for_own_copies(client_for, questionnaires, own_copy):
    client = client_for("adviser")
    built_in = questionnaires[USER_SURVEY]

    own_page = client.get(own_copy.get_absolute_url())
    built_in_page = client.get(built_in.get_absolute_url())

    assert reverse("surveys:questionnaire_edit", args=[own_copy.pk]) in own_page.text
    assert reverse("surveys:questionnaire_edit", args=[built_in.pk]) not in built_in_page.text


def test_questionnaire_list_shows_built_in_and_own_but_not_other_municipalities(
    client_for, world, questionnaires, own_copy
):
    beta_copy = services.questionnaire_copy(
        actor=None,
        municipality=world.beta,
        source=questionnaires["hso-brukerundersokelse-lettlest"],
    )

    page = client_for("adviser").get(reverse("surveys:questionnaires"))

    assert own_copy.get_absolute_url() in page.text
    assert questionnaires[USER_SURVEY].get_absolute_url() in page.text
    assert beta_copy.get_absolute_url() not in page.text


def test_questionnaire_of_another_municipality_is_not_found(client_for, world, questionnaires):
    beta_copy = services.questionnaire_copy(
        actor=None, municipality=world.beta, source=questionnaires[USER_SURVEY]
    )
    client = client_for("adviser")

    detail = client.get(beta_copy.get_absolute_url())
    edit = client.get(reverse("surveys:questionnaire_edit", args=[beta_copy.pk]))
    copy = client.post(reverse("surveys:questionnaire_copy", args=[beta_copy.pk]))

    assert (detail.status_code, edit.status_code, copy.status_code) == (404, 404, 404)
    assert not Questionnaire.objects.filter(municipality=world.alpha).exists()
