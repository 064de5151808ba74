"""API keys on the staff pages: made by system administrators, shown once, stored hashed,
revocable, every change in the audit log; and the documentation page in the staff menu."""

from __future__ import annotations

import re

import pytest

from medvirk.api.models import ApiKey, Scope
from medvirk.organisation.models import AuditEntry

from ..surveys.test_confidentiality import every_value_in_the_database
from .conftest import api_client

KEY = re.compile(r"mvk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}")


def shown_key(response) -> str:
    found = KEY.search(response.content.decode())
    assert found is not None
    return found.group(0)


def create(client, name: str = "Gerica", scopes: tuple[str, ...] = ("rounds:read",)):
    return client.post("/staff/api-keys/new/", {"name": name, "scopes": list(scopes)})


def test_a_new_key_is_shown_once_and_only_its_hash_is_stored(client_for):
    admin = client_for("admin")

    response = create(admin, scopes=("rounds:read", "results:read"))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    plain = shown_key(response)
    secret = plain.rsplit("_", 1)[1]
    stored = [value for value in every_value_in_the_database() if secret in value]
    assert stored == []
    key = ApiKey.objects.get()
    assert (key.name, key.scopes) == ("Gerica", ["results:read", "rounds:read"])
    assert plain.startswith(f"mvk_{key.prefix}_")
    assert len(key.secret_hash) == 64
    listing = admin.get("/staff/api-keys/").content.decode()
    assert key.prefix in listing
    assert secret not in listing
    assert api_client(plain).get("/api/v1/rounds").status_code == 200


def test_creating_and_revoking_a_key_are_in_the_audit_log(client_for, world):
    admin = client_for("admin")
    plain = shown_key(create(admin))
    key = ApiKey.objects.get()

    response = admin.post(f"/staff/api-keys/{key.pk}/revoke/")

    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    entries = AuditEntry.objects.filter(target_type="api.apikey", target_id=str(key.pk))
    assert sorted(entries.values_list("action", "actor")) == [
        ("api.key_create", world.people["admin"].pk),
        ("api.key_revoke", world.people["admin"].pk),
    ]
    assert api_client(plain).get("/api/v1/rounds").status_code == 401
    # Revoking twice is refused with a message, and writes nothing more.
    admin.post(f"/staff/api-keys/{key.pk}/revoke/")
    assert entries.count() == 2


def test_a_key_needs_a_name_and_a_scope(client_for):
    response = create(client_for("admin"), name="", scopes=())

    assert response.status_code == 400
    assert ApiKey.objects.count() == 0


@pytest.mark.parametrize("role", ["adviser", "manager", "staff", "council", "politician"])
def test_only_system_administrators_reach_the_api_pages(client_for, role):
    client = client_for(role)

    assert client.get("/staff/api-keys/").status_code == 403
    assert client.get("/staff/api/").status_code == 403
    assert create(client).status_code == 403
    assert ApiKey.objects.count() == 0


def test_a_key_of_another_municipality_cannot_be_revoked(client_for, make_key, world):
    make_key(Scope.ROUNDS_READ, municipality=world.beta)
    foreign = ApiKey.objects.get()

    assert client_for("admin").post(f"/staff/api-keys/{foreign.pk}/revoke/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.revoked_at is None


def test_the_documentation_page_is_in_the_staff_menu_and_lists_every_operation(client_for):
    admin = client_for("admin")

    menu = admin.get("/staff/").content.decode()
    page = admin.get("/staff/api/").content.decode()

    assert 'href="/staff/api/"' in menu
    assert 'href="/api/v1/openapi.json"' in page
    for operation in [
        "GET /api/v1/rounds",
        "GET /api/v1/rounds/{round_id}",
        "POST /api/v1/rounds/{round_id}/recipients",
        "GET /api/v1/results",
        "GET /api/v1/results/{round_id}",
        "GET /api/v1/tasks/{task_id}",
    ]:
        assert f"<code>{operation}</code>" in page
    assert "recipients:write" in page
    assert "users | relatives" in page  # the audience parameter's values
    assert "<script" not in page


def test_the_menu_has_no_api_entry_for_other_staff(client_for):
    assert 'href="/staff/api/"' not in client_for("adviser").get("/staff/").content.decode()


def test_the_schema_is_served_at_a_stable_address_without_a_key():
    response = api_client(None).get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["version"] == "1"
    assert "/api/v1/results/{round_id}" in schema["paths"]
