"""API fixtures: keys of municipality A (and B) with chosen scopes, a client that sends a
key, and a published round whose results hold a group too small to show."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from medvirk.api import services
from medvirk.api.models import Scope
from medvirk.organisation.models import Municipality

from ..results import conftest as results_fixtures
from ..results import test_no_small_group_shown

questionnaires = results_fixtures.questionnaires
# Nord hjemmetjeneste's two respondents answered 1 to every statement but the first and
# rated every importance 2: figures no other group in the round has.
small_group = test_no_small_group_shown.small_group

ALL_SCOPES = tuple(Scope)

MakeKey = Callable[..., str]


@pytest.fixture
def make_key(world) -> MakeKey:
    """A new key's text, made by municipality A's (or B's) system administrator."""

    def make(*scopes: Scope, municipality: Municipality | None = None, name: str = "Test") -> str:
        place = municipality or world.alpha
        admin = world.people["admin" if place == world.alpha else "beta_admin"]
        _key, plain = services.key_create(
            actor=admin, municipality=place, name=name, scopes=[s.value for s in scopes]
        )
        return plain

    return make


def api_client(key: str | None) -> Client:
    """A client on a host of no municipality: only the key decides which one is read."""
    if key is None:
        return Client(HTTP_HOST="api.example.test")
    return Client(HTTP_HOST="api.example.test", HTTP_AUTHORIZATION=f"Bearer {key}")
