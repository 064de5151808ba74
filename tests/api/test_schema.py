"""schemathesis against the API's own OpenAPI schema: generated requests to every operation,
with a key holding every scope, find no server error, no status the schema does not list
and no answer that breaks the schema.

The app is called in the test's process through WSGI, inside the test's transaction (so it
reads the round and results made here). Django's test client keeps the connection open
across requests by holding back ``close_old_connections`` when a request starts and
ends; so does this.
"""

from __future__ import annotations

from collections.abc import Iterator

import hypothesis
import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from schemathesis.checks import not_a_server_error
from schemathesis.openapi import from_dict
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from medvirk.api.api import api
from medvirk.api.models import Scope
from medvirk.wsgi import application

from ..results.conftest import Answered
from ..surveys.conftest import make_round

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


# The schema as /api/v1/openapi.json serves it (test_keys.py reads it there).
schema = from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
schema.app = application


@pytest.fixture
def every_scope(world, questionnaires, small_group: Answered, make_key, settings) -> Iterator[str]:
    settings.MEDVIRK_API_RATE_PER_MINUTE = 1_000_000
    make_round(world, questionnaires, name="Åpen for import")  # a round that takes recipients
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield make_key(*Scope)
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@schema.parametrize()
@hypothesis.settings(
    max_examples=15, deadline=None, suppress_health_check=list(hypothesis.HealthCheck)
)
def test_the_api_keeps_to_its_schema(case, every_scope: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {every_scope}"}, checks=CHECKS)
