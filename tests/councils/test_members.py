"""Members and their terms: the limits of the settings, refused with a clear message."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from medvirk.councils import selectors, services
from medvirk.councils.models import Membership
from medvirk.organisation.models import AuditEntry

from .conftest import add_member


def messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


def test_a_representatives_term_runs_two_years_by_default(council):
    member = add_member(council, "Kari Leder", "chair")

    assert member.ends_on == date(2027, 12, 31)


def test_adding_a_member_is_audited(council):
    add_member(council, "Kari Leder", "chair")

    assert AuditEntry.objects.filter(action="council.member_add").count() == 1


def test_a_sixth_representative_is_refused_with_a_clear_message(council):
    for name in ("Ann A", "Bo B", "Cato C", "Dag D", "Eli E"):
        add_member(council, name)

    with pytest.raises(ValidationError) as refused:
        add_member(council, "Finn F")

    assert "already has 5 user representatives on 01.01.2026" in messages(refused)
    assert not Membership.objects.filter(name="Finn F").exists()


def test_a_representative_may_start_when_a_place_is_free(council):
    for name in ("Ann A", "Bo B", "Cato C", "Dag D"):
        add_member(council, name)
    add_member(council, "Eli E", ends_on=date(2026, 6, 30))

    member = add_member(council, "Finn F", starts_on=date(2026, 7, 1))

    assert member.ends_on == date(2028, 6, 30)


def test_the_secretary_and_employees_do_not_count_as_representatives(council):
    for name in ("Ann A", "Bo B", "Cato C", "Dag D", "Eli E"):
        add_member(council, name)

    add_member(council, "Mona Manager", "secretary")
    add_member(council, "Erik Ansatt", "employee")

    assert council.memberships.count() == 7


def test_a_second_chair_is_refused(council):
    add_member(council, "Kari Leder", "chair")

    with pytest.raises(ValidationError) as refused:
        add_member(council, "Per Leder", "chair")

    assert refused.value.message_dict["role"] == [
        "The council already has a chair on 01.01.2026: Kari Leder. End that term first, or "
        "make this person a user representative."
    ]


def test_overlapping_terms_of_one_person_are_refused(council):
    add_member(council, "Nils Nilsen")

    with pytest.raises(ValidationError) as refused:
        add_member(council, "nils  nilsen", role="employee", starts_on=date(2027, 3, 1))

    assert "Nils Nilsen is already on the council 01.01.2026–31.12.2027" in messages(refused)


def test_a_new_term_may_follow_the_last(council):
    add_member(council, "Nils Nilsen")

    member = add_member(council, "Nils Nilsen", starts_on=date(2028, 1, 1))

    assert member.ends_on == date(2029, 12, 31)


def test_a_term_longer_than_the_settings_is_refused(council):
    with pytest.raises(ValidationError) as refused:
        add_member(council, "Nils Nilsen", ends_on=date(2028, 1, 1))

    assert refused.value.message_dict["ends_on"] == [
        "A representative is elected for 2 years at a time: a term that starts on 01.01.2026 "
        "ends on 31.12.2027 at the latest."
    ]


def test_a_representative_must_say_whom_they_represent(council):
    with pytest.raises(ValidationError) as refused:
        add_member(council, "Nils Nilsen", represents="")

    assert "represents" in refused.value.message_dict


def test_an_organisation_representative_names_the_organisation(council):
    with pytest.raises(ValidationError) as refused:
        add_member(council, "Nils Nilsen", represents="organisation")

    assert refused.value.message_dict["organisation_name"] == ["Give the user organisation's name."]


def test_the_limits_are_the_municipalitys_settings(world, council):
    services.council_settings_update(
        actor=None, municipality=world.alpha, data={"max_representatives": 2, "max_chairs": 1}
    )
    add_member(council, "Ann A")
    add_member(council, "Bo B")

    with pytest.raises(ValidationError) as refused:
        add_member(council, "Cato C")

    assert "already has 2 user representatives" in messages(refused)


def test_consent_is_dated_when_given(council):
    member = add_member(council, "Nils Nilsen", public_consent=True)

    assert member.public_consent_on is not None


def test_ending_a_term_keeps_the_member_in_the_history(council):
    member = add_member(council, "Nils Nilsen")

    services.membership_end(actor=None, membership=member, ends_on=date(2026, 5, 31))

    assert selectors.members_past(council, date(2026, 6, 1)) == [Membership.objects.get()]
    assert selectors.members_on(council, date(2026, 6, 1)) == []


def test_a_term_cannot_end_before_it_starts(council):
    member = add_member(council, "Nils Nilsen")

    with pytest.raises(ValidationError):
        services.membership_end(actor=None, membership=member, ends_on=date(2025, 12, 31))


def test_the_council_warns_two_months_before_a_term_ends(world, council, members):
    status = selectors.council_status(
        council, settings=selectors.settings_for(world.alpha), day=date(2027, 11, 1)
    )

    assert {m.name for m in status.ending_soon} == {"Kari Leder", "Nils Nilsen", "Anne Anonym"}
    assert any("Kari Leder's term ends on 31.12.2027" in w for w in status.warnings)


def test_no_term_warning_further_ahead_than_the_settings_say(world, council, members):
    status = selectors.council_status(
        council, settings=selectors.settings_for(world.alpha), day=date(2027, 10, 30)
    )

    assert status.ending_soon == []


def test_the_council_shows_its_vacancies(world, council, members):
    status = selectors.council_status(
        council, settings=selectors.settings_for(world.alpha), day=date(2026, 6, 1)
    )

    assert status.vacancies == 2
    assert "2 places for user representatives are vacant (the council may have 5)." in (
        status.warnings
    )


def test_a_council_without_a_chair_is_told_so(world, council):
    add_member(council, "Nils Nilsen")

    status = selectors.council_status(
        council, settings=selectors.settings_for(world.alpha), day=date(2026, 6, 1)
    )

    assert "The council has no chair. Make one of the user representatives the chair." in (
        status.warnings
    )
