"""The demo's councils, as `make run` loads them: twice, without error or change."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from medvirk.councils import selectors
from medvirk.councils.models import Council, ImprovementAction, Meeting, Membership
from medvirk.organisation.models import Unit
from medvirk.surveys import services as surveys


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once for the module inside a transaction rolled back at its end
    (loading takes seconds; each test below only reads it)."""
    from django.conf import settings

    with django_db_blocker.unblock(), transaction.atomic():
        previous, settings.DATA_DIR = settings.DATA_DIR, tmp_path_factory.mktemp("demo")
        surveys.questionnaire_load_builtin()
        out = StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        settings.DATA_DIR = previous
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded: str, db) -> str:
    return loaded


def konnerud() -> Council:
    return Council.objects.get(unit__code="KON-BBS")


def test_every_unit_of_area_05_has_a_council_with_members(demo):
    units = Unit.objects.filter(service_area__code="05", is_active=True)

    assert Council.objects.count() == units.count()
    assert not Council.objects.filter(memberships__isnull=True).exists()


def test_some_members_consented_to_publication_and_some_did_not(demo):
    assert Membership.objects.filter(public_consent=True).exists()
    assert Membership.objects.filter(public_consent=False).exists()


def test_konnerud_has_the_demo_users_on_its_council(demo):
    linked = set(konnerud().memberships.exclude(user=None).values_list("user__username", flat=True))

    assert {"leder.konnerud", "brukerrad.konnerud"} <= linked


def test_konnerud_has_a_plan_a_held_meeting_with_approved_minutes_and_one_coming(demo):
    meetings = konnerud().meetings.filter(kind=Meeting.Kind.COUNCIL)
    year = timezone.localdate().year

    # The demo's Konnerud meetings fall 21 days before and 14 days after the day it is
    # loaded, so one of them is always in this year: its plan always exists.
    assert konnerud().plans.filter(year=year).exists()
    assert meetings.filter(state=Meeting.State.MINUTES_APPROVED).count() == 1
    assert meetings.filter(state=Meeting.State.PLANNED).count() == 1


def test_the_held_meeting_has_the_surveys_figures_attached(demo):
    held = konnerud().meetings.get(kind=Meeting.Kind.COUNCIL, state=Meeting.State.MINUTES_APPROVED)
    item = held.items.exclude(results_round=None).get()

    figures = selectors.item_figures(item)

    assert figures is not None
    assert figures.shown
    assert [row.key for row in figures.rows] == ["s02", "s15", "s17", "s20", "s21"]


def test_the_coming_meeting_has_an_item_flagged_as_an_individual_case(demo):
    coming = konnerud().meetings.get(kind=Meeting.Kind.COUNCIL, state=Meeting.State.PLANNED)

    assert any(item.needs_confirmation for item in coming.items.all())


def test_the_improvement_plan_shows_movement_from_2024_to_2025(demo):
    action = ImprovementAction.objects.get(unit__code="KON-BBS", statement_keys=["s01", "s02"])

    movement = selectors.action_movement(action)

    assert action.round is not None
    assert movement.baseline is not None
    assert movement.later is not None
    assert action.round.questionnaire.key == "hso-brukerundersokelse-2016"
    assert (movement.baseline.name, movement.later.name) == (
        "Brukerundersøkelse 2024",
        "Brukerundersøkelse 2025",
    )
    assert all(row.change for row in movement.rows)


def test_a_dialogue_meeting_and_a_neighbourhood_conference_have_registrations(demo):
    for kind in (Meeting.Kind.DIALOGUE, Meeting.Kind.NEIGHBOURHOOD):
        meeting = konnerud().meetings.get(kind=kind)
        assert meeting.registrations.exists()
        assert meeting.outcome


def test_the_demo_loads_twice_without_change(demo, settings):
    before = (Council.objects.count(), Meeting.objects.count(), Membership.objects.count())

    out = StringIO()
    call_command("load_demo", stdout=out)

    assert (Council.objects.count(), Meeting.objects.count(), Membership.objects.count()) == before
    assert "/brukerrad/" in out.getvalue()
