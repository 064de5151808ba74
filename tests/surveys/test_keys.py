"""Round keys: a file per round outside the database, checked, destroyed with the purge; and
rounds made before round keys, moved over by the migration with their printed codes."""

from __future__ import annotations

import hashlib
import hmac
import stat
from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps as current_apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from medvirk.core.hooks import Hook
from medvirk.surveys import codes, keyring, services
from medvirk.surveys.models import AccessCode, Round
from medvirk.surveys.services import purge

from .conftest import Survey
from .test_answering import enter_code, in_english
from .test_confidentiality import every_value_in_the_database


def test_a_new_round_has_a_key_file_only_its_service_user_reads(survey: Survey):
    path = keyring.path_for(survey.round.pk)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_the_database_holds_the_keys_fingerprint_not_the_key(survey: Survey):
    key = keyring.load(survey.round.pk, survey.round.key_fingerprint)

    stored = " ".join(every_value_in_the_database())

    assert key.hex() not in stored
    assert survey.round.key_fingerprint in stored


def test_with_its_key_file_missing_a_rounds_codes_are_not_found(survey: Survey, caplog):
    keyring.path_for(survey.round.pk).unlink()

    response = enter_code(in_english(Client(HTTP_HOST="alpha.test")), survey.codes["Åse Ødegård"])

    assert "We did not find this code" in response.text
    assert f"the key of survey round {survey.round.pk} is missing" in caplog.text


def test_a_key_file_of_another_key_is_refused_as_not_the_rounds(survey: Survey, settings):
    keyring.path_for(survey.round.pk).write_text(f"medvirk-round-key-v1 {'ab' * 32}\n")

    with pytest.raises(keyring.KeyProblem, match="fingerprint differs"):
        services.round_codes(survey.round)


def test_the_key_check_passes_when_every_key_is_there(survey: Survey):
    out = StringIO()

    call_command("survey_keys", stdout=out)

    assert "1 round keys" in out.getvalue()


def test_the_key_check_fails_naming_a_round_whose_key_is_missing(survey: Survey):
    keyring.path_for(survey.round.pk).unlink()
    err = StringIO()

    with pytest.raises(CommandError, match="1 survey round keys are missing or wrong"):
        call_command("survey_keys", stderr=err, stdout=StringIO())

    assert f"round {survey.round.pk} (Brukerundersøkelse 2026" in err.getvalue()


def test_the_key_check_destroys_a_leftover_key_of_a_purged_round_when_asked(survey: Survey):
    services.round_close(actor=None, round_=survey.round)
    services.recipients_purge(actor=None, round_=survey.round)
    keyring.path_for(survey.round.pk).write_text("medvirk-round-key-v1 00\n")  # came back

    call_command("survey_keys", "--destroy-leftovers", stdout=StringIO())

    assert not keyring.path_for(survey.round.pk).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rolled_back_purge_keeps_the_key(survey: Survey, monkeypatch):
    services.round_close(actor=None, round_=survey.round)

    def fail(_round):
        raise RuntimeError("disk full")

    failing: Hook[[Round]] = Hook("before purge, failing")
    failing.register(fail)
    monkeypatch.setattr(purge, "before_purge", failing)
    with pytest.raises(RuntimeError):
        services.recipients_purge(actor=None, round_=survey.round)

    assert keyring.path_for(survey.round.pk).exists()
    assert services.code_of(survey.recipient("Åse Ødegård")) == survey.codes["Åse Ødegård"].replace(
        "-", ""
    )


# --- rounds made before round keys ----------------------------------------------------------


def legacy_secret(settings) -> bytes:
    base = (settings.MEDVIRK_CODE_SECRET or settings.SECRET_KEY).encode()
    return hmac.new(base, b"medvirk.surveys.code", hashlib.sha256).digest()


@pytest.fixture
def migrated_legacy_round(world, settings):
    """A round open before round keys, with four recipients as 0001 stored them — one has
    answered, one has a draft — migrated forward; returns it with the printed codes."""
    executor = MigrationExecutor(connection)
    executor.migrate([("surveys", "0001_initial")])
    old = executor.loader.project_state([("surveys", "0001_initial")]).apps
    Questionnaire = old.get_model("surveys", "Questionnaire")
    OldRound = old.get_model("surveys", "Round")
    RoundUnit = old.get_model("surveys", "RoundUnit")
    Recipient = old.get_model("surveys", "Recipient")
    Draft = old.get_model("surveys", "Draft")
    from medvirk.surveys import questionnaire as definitions

    spec_file = next(p for p in definitions.built_in_files() if "2016" in p.name)
    spec = definitions.load_file(spec_file)
    questionnaire = Questionnaire.objects.create(
        key=spec.key,
        version=spec.version,
        audience=spec.audience,
        definition=dict(spec.raw),
        checksum=spec.checksum(),
    )
    now = timezone.now()
    round_ = OldRound.objects.create(
        municipality_id=world.alpha.pk,
        service_area_id=world.area.pk,
        name="Brukerundersøkelse 2025",
        questionnaire=questionnaire,
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=5),
        state="open",
        opened_at=now,
    )
    RoundUnit.objects.create(
        round=round_, unit_id=world.unit.pk, contact_name="K", contact_phone="1", contact_hours="1"
    )
    secret = legacy_secret(settings)
    printed = {}
    for name, used in [("Åse", False), ("Ola", True), ("Kari", False), ("Per", False)]:
        seed = codes.new_seed()
        code = codes.derive_legacy(seed, secret=secret)
        printed[name] = codes.display(code)
        recipient = Recipient.objects.create(
            round=round_,
            unit_id=world.unit.pk,
            name=name,
            street_address="Gate 1",
            postal_code="3045",
            place="Drammen",
            language="nn" if name == "Kari" else "nb",
            code_seed=seed.hex(),
            code_hash=hmac.new(b"old", code.encode(), hashlib.sha256).hexdigest(),
            used=used,
        )
        if name == "Kari":
            Draft.objects.create(
                recipient=recipient, language="nn", scores="45", texts={"kommentar": "Så langt"}
            )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    return Round.objects.get(pk=round_.pk), printed


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_legacy_round_keeps_its_printed_eight_character_codes(migrated_legacy_round):
    round_, printed = migrated_legacy_round

    response = enter_code(Client(HTTP_HOST="alpha.test"), printed["Åse"])

    assert round_.code_scheme == Round.CodeScheme.LEGACY
    assert response["Location"] == reverse("answer:start")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_legacy_rounds_used_code_stays_used(migrated_legacy_round):
    _round, printed = migrated_legacy_round

    response = enter_code(in_english(Client(HTTP_HOST="alpha.test")), printed["Ola"])

    assert "We did not find this code" in response.text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_legacy_rounds_draft_moves_to_its_access_code(migrated_legacy_round):
    _round, printed = migrated_legacy_round
    found = services.access_code_find(
        municipality=_round.municipality, code=codes.normalise(printed["Kari"]) or ""
    )
    assert found is not None

    draft = services.draft_open(found)

    assert draft is not None
    assert (draft.language, draft.scores, draft.texts) == ("nn", "45", {"kommentar": "Så langt"})


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_legacy_round_gets_a_key_and_an_access_code_per_recipient(migrated_legacy_round):
    round_, _printed = migrated_legacy_round

    assert keyring.path_for(round_.pk).exists()
    assert AccessCode.objects.filter(round=round_).count() == 4
    assert list(AccessCode.objects.filter(round=round_, used=True).values_list("used")) == [(True,)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_legacy_rounds_reminders_skip_the_one_who_answered(migrated_legacy_round):
    round_, _printed = migrated_legacy_round
    answered = services.answered_test(round_)

    assert sorted(r.name for r in round_.recipients.all() if not answered(r)) == [
        "Kari",
        "Per",
        "Åse",
    ]


def test_models_match_the_migrations(db):
    out = StringIO()

    call_command("makemigrations", "surveys", "--check", "--dry-run", stdout=out)

    assert "No changes detected" in out.getvalue()
    assert current_apps.get_model("surveys", "AccessCode")
