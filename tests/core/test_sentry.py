"""Error reports to Sentry leave without personal data: sent for real, over HTTP, to a
stand-in Sentry on this machine, and read back from the envelope that arrived."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast

import pytest
import sentry_sdk
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory

from medvirk.core import logs
from medvirk.core import sentry as medvirk_sentry

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.sentry_urls")]

NAME = "Åse Ødegård"
CODE = "K7QM-2XWP-9RTD"
QUERY_CODE = "HB4N-6ZFC-3JLA"
ADDRESS = "Bjørnstjerne Bjørnsons gate 12"
COOKIE = "hemmelig-sesjonsverdi-5512"
USER_AGENT = "Tante-Åses-nettbrett/1.0"
CLIENT_ADDRESS = "198.51.100.23"


class StandIn(ThreadingHTTPServer):
    """Takes envelopes as Sentry would and keeps their bodies, decompressed."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.bodies: list[bytes] = []
        self.paths: list[str] = []


class _Handler(BaseHTTPRequestHandler):
    server: StandIn

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":  # the SDK's choice when brotli is installed
            import brotli

            body = brotli.decompress(body)
        self.server.paths.append(self.path)
        self.server.bodies.append(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet


@pytest.fixture
def stand_in() -> Iterator[StandIn]:
    server = StandIn()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    medvirk_sentry.start(dsn=f"http://publickey@{host!s}:{port}/1", environment="test")
    try:
        yield server
    finally:
        sentry_sdk.get_client().close(timeout=2)
        sentry_sdk.init()  # no DSN: reports off again for the rest of the process
        server.shutdown()
        server.server_close()


def envelope_items(body: bytes) -> list[dict[str, Any]]:
    """The JSON lines of an envelope: its header, then each item's header and payload."""
    return [json.loads(line) for line in body.splitlines() if line.strip().startswith(b"{")]


def serve(request: WSGIRequest) -> tuple[str, dict[str, str]]:
    """Hand the request to Django as a WSGI server does (the SDK hooks in there), and
    return the status and headers of the response."""
    answer: dict[str, Any] = {}

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: Any = None, /
    ) -> Callable[[bytes], object]:
        answer["status"], answer["headers"] = status, dict(headers)
        return lambda data: None

    # As the test client does: the end of a request must not close the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body = WSGIHandler()(request.environ, start_response)
        try:
            b"".join(body)
        finally:
            body.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"]


def test_a_failing_request_is_reported_without_personal_data(world, stand_in):
    factory = RequestFactory(
        HTTP_HOST="alpha.test",
        HTTP_USER_AGENT=USER_AGENT,
        HTTP_X_REAL_IP=CLIENT_ADDRESS,
        HTTP_REFERER=f"https://alpha.test/svar/?kode={QUERY_CODE}",
        REMOTE_ADDR=CLIENT_ADDRESS,
    )
    factory.cookies["medvirk_session"] = COOKIE
    request = factory.post(
        f"/test-failure/?kode={QUERY_CODE}", {"name": NAME, "code": CODE, "address": ADDRESS}
    )

    status, headers = serve(request)
    sentry_sdk.flush(timeout=5)

    assert status.startswith("500")
    request_id = headers[logs.HEADER]
    assert any(path.startswith("/api/1/envelope/") for path in stand_in.paths)
    items = [item for body in stand_in.bodies for item in envelope_items(body)]
    events = [item for item in items if "exception" in item]
    assert len(events) == 1
    (event,) = events
    assert event["exception"]["values"][-1]["type"] == "ReportedError"
    sent = "\n".join(json.dumps(item, ensure_ascii=False) for item in items)
    for secret in [NAME, CODE, QUERY_CODE, ADDRESS, COOKIE, USER_AGENT, CLIENT_ADDRESS]:
        assert secret not in sent
    for part in [*CODE.split("-"), *QUERY_CODE.split("-"), "Ødegård", "kode="]:
        assert part not in sent
    assert event["request"]["method"] == "POST"
    assert event["request"]["url"].endswith("/test-failure/")
    assert event["tags"]["request_id"] == request_id
    assert "vars" not in json.dumps(event["exception"])


def test_scrubbing_keeps_only_allowed_headers_and_drops_the_rest():
    event = {
        "request": {
            "method": "GET",
            "url": "https://alpha.test/svar/?kode=ABCD",
            "query_string": "kode=ABCD",
            "data": {"code": "ABCD"},
            "cookies": {"medvirk_session": "x"},
            "env": {"REMOTE_ADDR": "192.0.2.1"},
            "headers": {"Host": "alpha.test", "Cookie": "x", "X-Real-Ip": "192.0.2.1"},
        },
        "user": {"id": 1, "username": "ingrid"},
        "extra": {"request": "<WSGIRequest: GET '/svar/?kode=ABCD'>"},
        "breadcrumbs": {
            "values": [{"category": "query", "message": "SELECT 1", "data": {"p": "x"}}]
        },
        "logentry": {"message": "Not Found: %s", "params": ["/svar/x/?kode=ABCD"]},
    }

    scrubbed: Any = medvirk_sentry.scrub_event(cast(Any, event), {})

    assert scrubbed["request"] == {
        "method": "GET",
        "url": "https://alpha.test/svar/",
        "headers": {"Host": "alpha.test"},
    }
    assert "ABCD" not in json.dumps(scrubbed)
    assert "user" not in scrubbed
    assert "extra" not in scrubbed
