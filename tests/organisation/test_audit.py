"""The audit log speaks one vocabulary: one format for values whichever module records them,
and each change under a label a reader knows rather than a field's name in the code."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from django.utils.translation import gettext_lazy

from medvirk.organisation import audit, services
from medvirk.organisation.models import AuditEntry


def test_values_have_one_format_whichever_module_records_them():
    # 13:30 UTC on a winter day is 14:30 in Norway.
    assert audit.shown(datetime(2026, 12, 7, 13, 30, tzinfo=UTC)) == "07.12.2026 14:30"
    assert audit.shown(date(2027, 1, 4)) == "04.01.2027"
    assert audit.shown(["a", 1]) == ["a", "1"]
    assert [audit.shown(v) for v in (None, True, 3)] == [None, True, 3]


def test_changes_list_only_what_differs_and_a_new_object_only_what_was_given():
    before: dict[str, audit.AuditValue] = {"name": "Nord", "phone": "", "is_active": True}
    after: dict[str, audit.AuditValue] = {"name": "Sør", "phone": "", "is_active": False}

    assert audit.changes(before, after) == {"name": ["Nord", "Sør"], "is_active": [True, False]}
    assert audit.created({"name": "Sør", "phone": "", "codes": []}) == {"name": [None, "Sør"]}


def test_the_log_page_names_fields_by_their_labels_and_says_yes_or_no(client_for, world):
    services.unit_update(
        actor=world.people["admin"],
        unit=world.unit,
        data={"phone": "32 04 00 00", "is_active": False},
    )

    page = client_for("admin").get(reverse("organisation:audit_log")).text

    assert "<strong>Telefon</strong>:  → 32 04 00 00" in page
    assert "<strong>Aktiv</strong>: Ja → Nei" in page
    assert "<strong>phone</strong>" not in page


def test_a_change_that_is_no_field_shows_its_registered_label(client_for, world):
    # Round.recipients is a reverse relation, with no label of its own; surveys registers one.
    AuditEntry.objects.create(
        municipality=world.alpha,
        actor_name="Rådgiver",
        action="round.import_recipients",
        target_type="surveys.round",
        target_repr="Brukerundersøkelse 2026",
        changes={"recipients": [None, 2], "u.q01": ["Gammel", "Ny"]},
    )

    page = client_for("admin").get(reverse("organisation:audit_log")).text

    assert "<strong>Mottakere</strong>: – → 2" in page
    assert "<strong>u.q01</strong>: Gammel → Ny" in page


def test_a_key_means_one_thing_in_every_module():
    audit.register_change_labels({"role": gettext_lazy("Role")})  # the same label again is fine

    with pytest.raises(ValueError, match="role"):
        audit.register_change_labels({"role": gettext_lazy("Responses")})
