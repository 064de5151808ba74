"""Importing recipients through the API: the staff page's background import, with its
checks and its all-or-nothing rule, a status address to follow, and an audit entry."""

from __future__ import annotations

from medvirk.api.models import Scope
from medvirk.core import tasks
from medvirk.organisation.models import AuditEntry
from medvirk.surveys.models import Recipient, Round

from ..surveys.conftest import csv_bytes, make_round
from .conftest import api_client

GOOD = csv_bytes(
    "Åse Ødegård;Bjørnstjerne Bjørnsons gate 12;3045;Drammen;n-shj;;nb;nei",
    "Kari Hjemme;Engene 5;3015;Drammen;n-hjt;;nn;nei",
)
# The second row names a unit the round does not cover: nothing may be imported.
BAD = csv_bytes(
    "Åse Ødegård;Bjørnstjerne Bjørnsons gate 12;3045;Drammen;n-shj;;nb;nei",
    "Kari Hjemme;Engene 5;3015;Drammen;finnes-ikke;;nn;nei",
)


def post(client, round_: Round, data: bytes, query: str = ""):
    return client.post(
        f"/api/v1/rounds/{round_.pk}/recipients{query}", data, content_type="text/csv"
    )


def test_a_good_file_is_queued_and_imported_by_the_worker(make_key, world, questionnaires):
    round_ = make_round(world, questionnaires)
    client = api_client(make_key(Scope.RECIPIENTS_WRITE))

    response = post(client, round_, GOOD)

    assert response.status_code == 202
    queued = response.json()
    assert queued["status"] == "queued"
    assert queued["status_url"] == f"/api/v1/tasks/{queued['id']}"
    assert Recipient.objects.filter(round=round_).count() == 0
    tasks.run_next()
    status = client.get(queued["status_url"]).json()
    assert status["status"] == "done"
    assert (status["result"]["applied"], status["result"]["imported"]) == (True, 2)
    assert sorted(Recipient.objects.filter(round=round_).values_list("name", flat=True)) == [
        "Kari Hjemme",
        "Åse Ødegård",
    ]


def test_a_file_with_an_invalid_row_imports_nothing_and_the_status_says_why(
    make_key, world, questionnaires
):
    round_ = make_round(world, questionnaires)
    client = api_client(make_key(Scope.RECIPIENTS_WRITE))

    queued = post(client, round_, BAD).json()
    tasks.run_next()
    status = client.get(queued["status_url"]).json()

    assert Recipient.objects.filter(round=round_).count() == 0
    assert status["status"] == "done"
    assert status["result"]["applied"] is False
    assert status["result"]["error_count"] == 1
    assert [p["row"] for p in status["result"]["problems"] if p["severity"] == "error"] == [3]


def test_skip_invalid_imports_the_valid_rows(make_key, world, questionnaires):
    round_ = make_round(world, questionnaires)
    client = api_client(make_key(Scope.RECIPIENTS_WRITE))

    post(client, round_, BAD, "?skip_invalid=true")
    tasks.run_next()

    assert list(Recipient.objects.filter(round=round_).values_list("name", flat=True)) == [
        "Åse Ødegård"
    ]


def test_the_import_is_in_the_audit_log(make_key, world, questionnaires):
    round_ = make_round(world, questionnaires)
    client = api_client(make_key(Scope.RECIPIENTS_WRITE, name="Gerica"))

    queued = post(client, round_, GOOD).json()
    tasks.run_next()

    started = AuditEntry.objects.get(action="api.recipients_import")
    assert started.target_repr.startswith("Gerica (")
    assert started.changes == {"round": [None, round_.name], "task": [None, queued["id"]]}
    assert AuditEntry.objects.filter(action="round.import_recipients").count() == 1


def test_a_closed_round_or_an_empty_body_is_refused_before_queueing(
    make_key, world, questionnaires
):
    round_ = make_round(world, questionnaires)
    client = api_client(make_key(Scope.RECIPIENTS_WRITE))

    empty = post(client, round_, b"")
    Round.objects.filter(pk=round_.pk).update(state=Round.State.CLOSED)
    closed = post(client, round_, GOOD)

    assert (empty.status_code, closed.status_code) == (400, 400)
    assert "avsluttet runde" in closed.json()["detail"]  # in the installation's language
    assert tasks.run_next() is None


def test_a_task_is_read_only_with_the_key_that_started_it(make_key, world, questionnaires):
    round_ = make_round(world, questionnaires)
    queued = post(api_client(make_key(Scope.RECIPIENTS_WRITE)), round_, GOOD).json()
    other = api_client(make_key(Scope.RECIPIENTS_WRITE, name="Other"))
    foreign = api_client(make_key(Scope.RECIPIENTS_WRITE, municipality=world.beta))

    assert other.get(queued["status_url"]).status_code == 404
    assert foreign.get(queued["status_url"]).status_code == 404
