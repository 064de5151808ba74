"""``/metrics``: behind a bearer token, request counters that move, the task queue as the
database has it, and the counts of several processes added up in multiprocess mode."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from medvirk.core.models import BackgroundTask

pytestmark = pytest.mark.django_db

TOKEN = "metrics-token-for-tests-0123456789"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def token(settings) -> str:
    settings.MEDVIRK_METRICS_TOKEN = TOKEN
    return TOKEN


def scrape(token: str = TOKEN) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    return samples(response.content.decode())


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def requests_of(
    found: dict[Any, float], route: str, status: str = "2xx", method: str = "GET"
) -> float:
    key = (
        "medvirk_http_requests_total",
        (("method", method), ("route", route), ("status", status)),
    )
    return found.get(key, 0.0)


def test_without_a_configured_token_there_is_no_page(settings):
    settings.MEDVIRK_METRICS_TOKEN = ""

    assert Client().get("/metrics").status_code == 404
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.parametrize(
    "authorization",
    [None, "", f"Bearer {TOKEN}x", f"Basic {TOKEN}", "Bearer", f"Bearer {TOKEN[:-1]}"],
)
def test_a_missing_or_wrong_token_is_refused(token, authorization):
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}

    response = Client().get("/metrics", **headers)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert b"medvirk_" not in response.content


def test_the_right_token_gives_prometheus_text(token):
    found = scrape()

    assert ("medvirk_background_oldest_queued_seconds", ()) in found


def test_request_counters_move_with_requests(token, world):
    before = scrape()
    client = Client(HTTP_HOST="alpha.test")
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
    assert client.get("/svar/finnes-ikke/").status_code == 404
    client.post("/healthz")

    after = scrape()

    assert requests_of(after, "healthz") - requests_of(before, "healthz") == 3
    assert requests_of(after, "unmatched", "4xx") - requests_of(before, "unmatched", "4xx") == 1
    assert (
        requests_of(after, "healthz", method="POST") - requests_of(before, "healthz", method="POST")
        == 1
    )
    count = (
        "medvirk_http_request_duration_seconds_count",
        (("method", "GET"), ("route", "healthz")),
    )
    assert after[count] - before.get(count, 0.0) == 3


def test_labels_carry_route_names_not_addresses(token, world):
    Client(HTTP_HOST="alpha.test").get("/svar/?kode=ABCD-EFGH-JKLM")

    response = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    text = response.content.decode()
    assert 'route="answer:code"' in text
    assert "ABCD" not in text
    assert "/svar" not in text


def queued(world, *, age: timedelta) -> BackgroundTask:
    task = BackgroundTask.objects.create(
        kind="tests.metrics", municipality=world.alpha, created_by=None, params={}
    )
    BackgroundTask.objects.filter(pk=task.pk).update(created_at=timezone.now() - age)
    return task


def test_queue_depth_matches_the_tasks_in_the_database(token, world):
    for minutes in (1, 5, 2):
        queued(world, age=timedelta(minutes=minutes))
    running = queued(world, age=timedelta(minutes=30))
    BackgroundTask.objects.filter(pk=running.pk).update(status=BackgroundTask.Status.RUNNING)
    done = queued(world, age=timedelta(hours=2))
    BackgroundTask.objects.filter(pk=done.pk).update(status=BackgroundTask.Status.DONE)

    with time_machine.travel(timezone.now(), tick=False):
        found = scrape()

    def tasks(status: str) -> float:
        return found[("medvirk_background_tasks", (("status", status),))]

    assert tasks(BackgroundTask.Status.QUEUED) == 3
    assert tasks(BackgroundTask.Status.RUNNING) == 1
    assert tasks(BackgroundTask.Status.DONE) == 1
    assert tasks(BackgroundTask.Status.FAILED) == 0
    oldest = found[("medvirk_background_oldest_queued_seconds", ())]
    assert 300 <= oldest < 310


def test_an_empty_queue_has_no_age(token, world):
    found = scrape()

    assert found[("medvirk_background_tasks", (("status", "queued"),))] == 0
    assert found[("medvirk_background_oldest_queued_seconds", ())] == 0


SERVE_REQUESTS = """
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
for _ in range({count}):
    assert Client().get("/metrics").status_code == 404
"""


def test_multiprocess_mode_adds_up_the_requests_of_every_process(tmp_path, token, monkeypatch):
    """Two processes with PROMETHEUS_MULTIPROC_DIR set, as two gunicorn workers: what they
    counted is in the directory, and a scrape (here, of a third process) adds them up."""
    directory = tmp_path / "metrics"
    directory.mkdir()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "medvirk.settings.test",
        "PROMETHEUS_MULTIPROC_DIR": str(directory),
        "MEDVIRK_METRICS_TOKEN": "",
    }
    for count in (2, 3):
        subprocess.run(
            [sys.executable, "-c", SERVE_REQUESTS.format(count=count)],
            cwd=ROOT,
            env=environment,
            check=True,
            timeout=120,
        )

    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(directory))
    found = scrape()

    assert requests_of(found, "metrics", "4xx") == 5
    assert ("medvirk_background_tasks", (("status", "queued"),)) in found
