"""Copies of the database do not re-link answers to people (PRODUCT.md point 8, issue 12).

Respondents answer one after another through the answer pages. Around each one's code,
their pages and their submission, a copy of the whole database is taken — SQLite's backup
API, or pg_dump and every table's raw heap pages on PostgreSQL — and the attacker of
``relinking`` tries to name the recipient of every draft and response from the copies.
Every unit × service × audience that answers has several recipients, so that matching
attributes alone cannot decide; ``test_one_invitee_alone_in_a_group_is_named_by_attributes``
shows what attributes do decide, as docs/threat-model.md says.

The positive controls run the same attacker against the old layout's leaks reproduced
beside the real tables: a flag on a row that refers to the recipient, flipped when they
submit, and a draft row that carries the recipient's id, deleted when they submit.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.test import Client
from django.urls import reverse

from medvirk.surveys import keyring, roundkey, services
from medvirk.surveys.models import AccessCode, Recipient, Round
from medvirk.surveys.services import access_codes

from . import relinking
from .conftest import access_code_of, import_people, make_round

POSTGRESQL = connection.vendor == "postgresql"
only_on_postgresql = pytest.mark.skipif(not POSTGRESQL, reason="runs on PostgreSQL (CI runs it)")
only_on_sqlite = pytest.mark.skipif(POSTGRESQL, reason="SQLite's backup API")

PEOPLE = [
    # unit n-shj, users: four
    "Åse Ødegård;Bjørnstjerne Bjørnsons gate 12;3045;Drammen;n-shj;;nb;nei",
    "Ola Nordmann;Konnerudgata 1;3045;Drammen;n-shj;;en;nei",
    "Kari Lunde;Engene 5;3015;Drammen;n-shj;;nb;nei",
    "Jon Berg;Tollbugata 3;3044;Drammen;n-shj;;nn;nei",
    # unit n-hjt, users: three
    "Liv Dahl;Storgata 9;3045;Drammen;n-hjt;;nb;nei",
    "Per Holm;Storgata 11;3045;Drammen;n-hjt;;nb;nei",
    "Eva Moe;Storgata 13;3045;Drammen;n-hjt;;en;nei",
    # unit n-shj, relatives: three
    "Gro Lie;Bragernes torg 1;3017;Drammen;n-shj;;nb;ja",
    "Arne Vik;Bragernes torg 2;3017;Drammen;n-shj;;nb;ja",
    "Siri Aas;Bragernes torg 3;3017;Drammen;n-shj;;en;ja",
]
RESPONDENTS = ["Ola Nordmann", "Åse Ødegård", "Eva Moe", "Siri Aas"]


@dataclass
class Copies:
    """Copies taken around each respondent's steps: (before, after, who, what happened)."""

    intervals: list[tuple[relinking.Copy, relinking.Copy, str, str]] = field(default_factory=list)
    pages: relinking.Copy | None = None


def answer_pages(client: Client, round_: Round, name: str) -> None:
    recipient = Recipient.objects.get(round=round_, name=name)
    spec = round_.questionnaire_for(is_relative=recipient.is_relative).spec
    client.post(reverse("answer:start"), {"language": "en", "on_behalf": "no"})
    for number, section in enumerate(spec.sections, start=1):
        data = {"action": "next"}
        for statement in section.statements:
            data[f"s-{statement.key}"] = "4"
        for free_text in section.free_texts:
            data[f"t-{free_text.key}"] = "Personalet er hjelpsomme."
        client.post(reverse("answer:section", args=[number]), data)


def take_copy() -> relinking.Copy:
    if POSTGRESQL:
        return relinking.pg_dump_copy(connection.settings_dict)
    connection.ensure_connection()
    return relinking.sqlite_copy(connection.connection)


@pytest.fixture
def answered_round(world, questionnaires) -> Iterator[tuple[Round, dict[str, str]]]:
    round_ = make_round(world, questionnaires)
    codes = import_people(round_, *PEOPLE)
    services.round_open(actor=None, round_=round_)
    if not POSTGRESQL:
        yield round_, codes
        return
    with connection.cursor() as cursor:  # keep every dead tuple for the attacker
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'ALTER TABLE "{table}" SET (autovacuum_enabled = false)')
    with _snapshot_held():
        yield round_, codes


@contextmanager
def _snapshot_held() -> Iterator[None]:
    """An open snapshot on a second connection, as a long report or a replica's feedback
    would hold one: until it ends, neither vacuum nor the pruning a page does on its own
    when it fills up may remove a tuple that died after it. Without it, whether the sent
    drafts' dead tuples are still in the pages when they are read depends on timing."""
    holder = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        holder.set_autocommit(False)
        with holder.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT 1")  # takes the snapshot; locks nothing
        yield
    finally:
        holder.rollback()
        holder.close()


def run_respondents(round_: Round, codes: dict[str, str]) -> Copies:
    copies = Copies()
    for name in RESPONDENTS:
        client = Client(HTTP_HOST="alpha.test")
        before_code = take_copy()
        client.post(reverse("answer:code"), {"code": codes[name]})
        answer_pages(client, round_, name)
        before_sending = take_copy()
        sent = client.post(reverse("answer:summary"))
        assert sent.status_code == 302
        copies.intervals.append((before_code, before_sending, name, "draft"))
        copies.intervals.append((before_sending, take_copy(), name, "response"))
    # One more who stops halfway: their draft stays.
    client = Client(HTTP_HOST="alpha.test")
    before_code = take_copy()
    client.post(reverse("answer:code"), {"code": codes["Jon Berg"]})
    answer_pages(client, round_, "Jon Berg")
    copies.intervals.append((before_code, take_copy(), "Jon Berg", "draft"))
    if POSTGRESQL:
        with connection.cursor() as cursor:
            copies.pages = relinking.pg_pages_copy(cursor)
    return copies


def verdicts(copies: Copies, recipients: dict[str, str]) -> dict[str, Any]:
    """What the attacker makes of each interval: who they name, and how many are left."""
    found: dict[str, Any] = {}
    for before, after, name, what in copies.intervals:
        candidates = {
            answer: left
            for answer, left in relinking.candidates_between(before, after).items()
            if answer.startswith("surveys_response" if what == "response" else "surveys_draft")
        }
        assert candidates, f"the attacker saw no new {what} of {name}"
        for answer, left in candidates.items():
            found[f"{name} {what} {answer}"] = {
                "named": recipients.get(next(iter(left)), "?") if len(left) == 1 else None,
                "right one left": recipients_key(recipients, name) in left,
                "left": len(left),
            }
    return found


def recipients_key(recipients: dict[str, str], name: str) -> str:
    return next(key for key, person in recipients.items() if person == name)


def names_by_key(round_: Round) -> dict[str, str]:
    return {str(r.pk): r.name for r in Recipient.objects.filter(round=round_)}


# --- the real tables --------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_copies_around_every_answer_name_no_recipient(answered_round):
    round_, codes = answered_round
    copies = run_respondents(round_, codes)

    found = verdicts(copies, names_by_key(round_))

    assert {answer: v["named"] for answer, v in found.items() if v["named"]} == {}
    assert all(v["left"] >= 3 and v["right one left"] for v in found.values()), found


@pytest.fixture
def pages(answered_round) -> relinking.Copy:
    """Every table's raw pages after the respondents have answered."""
    copies = run_respondents(*answered_round)
    assert copies.pages is not None
    return copies.pages


@only_on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_raw_pages_with_their_dead_tuples_name_no_recipient(pages):
    candidates = relinking.candidates_in_pages(pages)

    assert len(candidates) == 2 * len(RESPONDENTS) + 1  # responses, sent drafts, the one left
    assert relinking.named(candidates) == {}
    assert all(len(left) >= 3 for left in candidates.values()), candidates


@only_on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_raw_pages_do_hold_dead_drafts(pages):
    # Otherwise the test above would prove nothing about them.
    drafts = relinking.newest_versions(pages.table("surveys_draft"))

    assert len(drafts) == len(RESPONDENTS) + 1  # the four sent, and the one left


# --- the old layout's leaks, reproduced beside the real tables -----------------------------


@pytest.fixture
def leaky(monkeypatch, answered_round) -> Iterator[tuple[Round, dict[str, str]]]:
    """A used flag and a draft row that refer to the recipient, as before issue 12: the flag
    flips and the draft row goes in the transaction that makes the response."""
    round_, codes = answered_round
    owner = {access_code_of(r).pk: r.pk for r in Recipient.objects.filter(round=round_)}
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE leak_used (id integer PRIMARY KEY, recipient_id integer"
            " REFERENCES surveys_recipient (id), used boolean NOT NULL)"
        )
        cursor.execute(
            "CREATE TABLE leak_draft (id integer PRIMARY KEY, recipient_id integer"
            " REFERENCES surveys_recipient (id), step integer NOT NULL)"
        )
        for pk in owner.values():
            cursor.execute("INSERT INTO leak_used VALUES (%s, %s, %s)", [pk, pk, False])
    original_submit: Callable[..., Any] = services.response_submit
    original_draft: Callable[[AccessCode], services.OpenDraft] = services.draft_for

    def draft_for(access_code: AccessCode) -> services.OpenDraft:
        with connection.cursor() as cursor:
            recipient = owner[access_code.pk]
            cursor.execute("SELECT 1 FROM leak_draft WHERE recipient_id = %s", [recipient])
            if cursor.fetchone() is None:
                cursor.execute("INSERT INTO leak_draft VALUES (%s, %s, 1)", [recipient, recipient])
        return original_draft(access_code)

    def response_submit(*, access_code: AccessCode, today: Any = None) -> Any:
        with transaction.atomic(), connection.cursor() as cursor:
            recipient = owner[access_code.pk]
            cursor.execute(
                "UPDATE leak_used SET used = %s WHERE recipient_id = %s", [True, recipient]
            )
            cursor.execute("DELETE FROM leak_draft WHERE recipient_id = %s", [recipient])
            return original_submit(access_code=access_code, today=today)

    monkeypatch.setattr(services, "draft_for", draft_for)
    monkeypatch.setattr(services, "response_submit", response_submit)
    yield round_, codes
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE leak_draft")
        cursor.execute("DROP TABLE leak_used")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_control_copies_name_every_recipient_of_the_old_layout(leaky):
    round_, codes = leaky
    copies = run_respondents(round_, codes)

    found = verdicts(copies, names_by_key(round_))

    everyone = [*RESPONDENTS, "Jon Berg"]
    expected = {answer: next(n for n in everyone if answer.startswith(f"{n} ")) for answer in found}
    assert len(found) == 2 * len(RESPONDENTS) + 1
    assert {answer: v["named"] for answer, v in found.items()} == expected


@only_on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_control_raw_pages_name_every_respondent_of_the_old_layout(leaky):
    round_, codes = leaky
    copies = run_respondents(round_, codes)
    assert copies.pages is not None
    recipients = names_by_key(round_)

    responses = {
        answer: recipients[key]
        for answer, key in relinking.named(
            relinking.candidates_in_pages(copies.pages, answers_of=["surveys_response"])
        ).items()
    }

    assert sorted(responses.values()) == sorted(RESPONDENTS)


# --- attributes ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_language_answered_in_does_not_single_out_the_english_reader(world, questionnaires):
    # Two invited in the unit, one of whom prefers English and answers in English.
    round_ = make_round(world, questionnaires, units=[world.sibling])
    codes = import_people(
        round_,
        "Liv Dahl;Storgata 9;3045;Drammen;n-hjt;;nb;nei",
        "Eva Moe;Storgata 13;3045;Drammen;n-hjt;;en;nei",
    )
    services.round_open(actor=None, round_=round_)
    before = take_copy()
    client = Client(HTTP_HOST="alpha.test")
    client.post(reverse("answer:code"), {"code": codes["Eva Moe"]})
    answer_pages(client, round_, "Eva Moe")
    client.post(reverse("answer:summary"))

    candidates = relinking.candidates_between(before, take_copy())

    assert [len(left) for left in candidates.values()] == [2]  # the response


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_invitee_alone_in_a_group_is_named_by_attributes(world, questionnaires):
    # What docs/threat-model.md says a database reader can tell: the only one invited with
    # a unit, service and audience gave that group's response.
    round_ = make_round(world, questionnaires, units=[world.sibling])
    codes = import_people(round_, "Liv Dahl;Storgata 9;3045;Drammen;n-hjt;;nb;nei")
    services.round_open(actor=None, round_=round_)
    before = take_copy()
    client = Client(HTTP_HOST="alpha.test")
    client.post(reverse("answer:code"), {"code": codes["Liv Dahl"]})
    answer_pages(client, round_, "Liv Dahl")
    client.post(reverse("answer:summary"))

    found = relinking.named(relinking.candidates_between(before, take_copy()))

    assert set(found.values()) == {str(Recipient.objects.get(name="Liv Dahl").pk)}


# --- order -----------------------------------------------------------------------------------


def order_agreement(round_: Round) -> float:
    """Spearman's rank correlation of where each access code lies (rowid or ctid) with
    where its recipient lies: near 0 when the order tells nothing, 1 when it is the same."""
    recipients = list(Recipient.objects.filter(round=round_).order_by("pk"))
    position = {code: n for n, code in enumerate(physical_order("surveys_accesscode"))}
    ranks = [position[str(access_code_of(r).pk).replace("-", "")] for r in recipients]
    n = len(ranks)
    order = sorted(range(n), key=lambda i: ranks[i])
    rank_of = {i: r for r, i in enumerate(order)}
    d2 = sum((i - rank_of[i]) ** 2 for i in range(n))
    return 1 - 6 * d2 / (n * (n * n - 1))


def physical_order(table: str) -> list[str]:
    order = "ctid" if POSTGRESQL else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT id FROM "{table}" ORDER BY {order}')  # noqa: S608 (ours)
        return [str(pk).replace("-", "") for (pk,) in cursor.fetchall()]


@pytest.fixture
def many_invited(world, questionnaires) -> Round:
    round_ = make_round(world, questionnaires, units=[world.unit])
    import_people(
        round_, *(f"Person {i:03d};Gate {i};3045;Drammen;n-shj;;nb;nei" for i in range(300))
    )
    return round_


def test_access_codes_do_not_lie_in_the_order_of_the_recipient_list(many_invited):
    assert abs(order_agreement(many_invited)) < 0.3


def test_control_unshuffled_access_codes_lie_in_the_order_of_the_list(
    world, questionnaires, monkeypatch
):
    monkeypatch.setattr(secrets.SystemRandom, "shuffle", lambda self, items: None)
    round_ = make_round(world, questionnaires, units=[world.unit])
    import_people(
        round_, *(f"Person {i:03d};Gate {i};3045;Drammen;n-shj;;nb;nei" for i in range(300))
    )

    assert order_agreement(round_) > 0.9


# --- purge --------------------------------------------------------------------------------------


@pytest.fixture
def purged(world, questionnaires) -> tuple[Round, relinking.Copy, bytes]:
    """A round answered once and copied, then closed and purged; and (for the control
    only) its key as it was before the purge destroyed it."""
    round_ = make_round(world, questionnaires)
    codes = import_people(round_, *PEOPLE)
    services.round_open(actor=None, round_=round_)
    client = Client(HTTP_HOST="alpha.test")
    client.post(reverse("answer:code"), {"code": codes["Ola Nordmann"]})
    answer_pages(client, round_, "Ola Nordmann")
    client.post(reverse("answer:summary"))
    old = take_copy()
    key = keyring.load(round_.pk, round_.key_fingerprint)
    services.round_close(actor=None, round_=round_)
    services.recipients_purge(actor=None, round_=round_)
    return round_, old, key


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_purging_destroys_the_rounds_key_file(purged):
    round_, _old, _codes = purged

    assert not keyring.path_for(round_.pk).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_the_purge_no_code_can_be_derived(purged):
    round_, _old, _codes = purged

    with pytest.raises(keyring.KeyProblem):
        services.round_codes(Round.objects.get(pk=round_.pk))


def linked(copy: relinking.Copy, round_: Round, key: bytes) -> int:
    """How many recipients of an old copy someone holding ``key`` links to an access code."""
    round_codes = services.RoundCodes(
        round_.pk, round_.code_scheme, roundkey.RoundKeys.from_key(key)
    )
    lookups = {row.values["lookup"] for row in copy.table("surveys_accesscode")}
    found = 0
    for row in copy.table("surveys_recipient"):
        try:
            seed = round_codes.open_seed(row.values["code_seed"] or "")
        except roundkey.SealBroken:
            continue
        found += round_codes.lookup_of(round_codes.derive(seed)) in lookups
    return found


def server_secrets(settings) -> list[bytes]:
    """Every secret the server still holds after a purge, and what it derives from them."""
    return [
        settings.SECRET_KEY.encode(),
        (settings.MEDVIRK_CODE_SECRET or settings.SECRET_KEY).encode(),
        access_codes._key("code"),
        access_codes._key("lookup"),
        access_codes._key("client"),
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_old_copy_and_the_servers_secrets_link_nobody_of_a_purged_round(purged, settings):
    round_, old, _key = purged

    assert [linked(old, round_, secret) for secret in server_secrets(settings)] == [0] * 5


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_control_the_old_copy_and_the_destroyed_key_would_link_everybody(purged):
    round_, old, key = purged

    assert linked(old, round_, key) == len(PEOPLE)
