"""Shared fixtures: two municipalities, one person in every role, and a logged-in client.

Every test that touches the organisation gets the same shape: municipality A ("alpha") with
service area 05, a district with two units and one unit outside the districts, and
municipality B ("beta") with one unit, to prove that nothing crosses between them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import translation

from medvirk.organisation.models import District, Municipality, Role, ServiceArea, Unit, User
from medvirk.organisation.selectors import clear_host_cache
from medvirk.surveys.selectors import clear_questionnaire_cache

from .factories import (
    DistrictFactory,
    MunicipalityFactory,
    RoleAssignmentFactory,
    ServiceAreaFactory,
    UnitFactory,
    UserFactory,
)


@dataclass
class World:
    alpha: Municipality
    beta: Municipality
    area: ServiceArea
    other_area: ServiceArea
    district: District
    unit: Unit
    sibling: Unit
    loose_unit: Unit
    foreign_unit: Unit
    people: dict[str, User]


@pytest.fixture(autouse=True)
def _bokmal_to_begin_with():
    """Every test starts in bokmål. A request leaves its language active in the thread
    (Django's middleware does not reset it), which would leak into the next test."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test builds its own municipalities, questionnaires and results; none may be
    found in an earlier test's process cache (ids are reused after a rollback)."""
    clear_host_cache()
    clear_questionnaire_cache()
    cache.clear()
    yield
    clear_host_cache()
    clear_questionnaire_cache()
    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def _own_key_dir(tmp_path_factory):
    """Survey round keys in a folder of the test process's own, never the real var/keys:
    test processes run side by side, and each one's round numbers start again."""
    with override_settings(MEDVIRK_KEY_DIR=tmp_path_factory.mktemp("keys") / "keys"):
        yield


@pytest.fixture
def world(db) -> World:
    alpha = MunicipalityFactory.create(name="Alfa kommune", slug="alpha", host="alpha.test")
    beta = MunicipalityFactory.create(name="Beta kommune", slug="beta", host="beta.test")
    area = ServiceAreaFactory.create(municipality=alpha, code="05")
    other_area = ServiceAreaFactory.create(municipality=alpha, code="02", name="Grunnskole")
    district = DistrictFactory.create(service_area=area, name="Nord HOD", code="nord")
    unit = UnitFactory.create(
        service_area=area, district=district, name="Nord sykehjem", code="n-shj"
    )
    sibling = UnitFactory.create(
        service_area=area, district=district, name="Nord hjemmetjeneste", code="n-hjt"
    )
    loose_unit = UnitFactory.create(service_area=area, name="Helsehuset", code="hh")
    beta_area = ServiceAreaFactory.create(municipality=beta, code="05")
    foreign_unit = UnitFactory.create(service_area=beta_area, name="Beta sykehjem", code="b-shj")

    def person(username: str, role: Role, **scope) -> User:
        user = UserFactory.create(username=username, first_name=username.capitalize())
        RoleAssignmentFactory.create(user=user, municipality=alpha, role=role, **scope)
        return user

    people = {
        "admin": person("admin", Role.SYSTEM_ADMIN),
        "adviser": person("adviser", Role.QUALITY_ADVISER, service_area=area),
        "manager": person("manager", Role.UNIT_MANAGER, unit=unit),
        "staff": person("staff", Role.UNIT_STAFF, unit=unit),
        "council": person("council", Role.COUNCIL_MEMBER, unit=unit),
        "politician": person("politician", Role.POLITICIAN),
        "nobody": UserFactory.create(username="nobody"),
    }
    beta_admin = UserFactory.create(username="beta-admin")
    RoleAssignmentFactory.create(user=beta_admin, municipality=beta, role=Role.SYSTEM_ADMIN)
    people["beta_admin"] = beta_admin
    return World(
        alpha, beta, area, other_area, district, unit, sibling, loose_unit, foreign_unit, people
    )


@pytest.fixture
def client_for(world: World):
    """A client signed in as one of the world's people, on municipality A's host."""

    def make(name: str, host: str = "alpha.test") -> Client:
        client = Client(HTTP_HOST=host)
        client.force_login(world.people[name])
        return client

    return make


@pytest.fixture
def anonymous(world: World) -> Client:
    return Client(HTTP_HOST="alpha.test")
