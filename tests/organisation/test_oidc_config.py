"""Single sign-on's configuration and role mapping, without a provider (test_oidc.py has
the real one): the environment variables, the role map check, and role synchronisation."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from medvirk.organisation import oidc, services
from medvirk.organisation.models import AuditEntry, Role, RoleAssignment, User
from medvirk.settings import env
from tests.core.test_settings import manage

ISSUER = "https://login.example.org/tenant/v2.0"


def test_a_municipality_gets_a_provider_from_its_variables(monkeypatch):
    monkeypatch.setenv("MEDVIRK_OIDC_ALPHA_ISSUER", ISSUER + "/")
    monkeypatch.setenv("MEDVIRK_OIDC_ALPHA_CLIENT_ID", "medvirk")
    monkeypatch.setenv("MEDVIRK_OIDC_ALPHA_ROLE_MAP", "admins=system_admin, a=b=politician")
    monkeypatch.setenv("MEDVIRK_OIDC_NORD_FRON_ISSUER", "https://keycloak.example.org/realms/x")
    monkeypatch.setenv("MEDVIRK_OIDC_NORD_FRON_CLIENT_ID", "medvirk")
    monkeypatch.setenv("MEDVIRK_OIDC_NORD_FRON_NAME", "Keycloak")
    monkeypatch.setenv("MEDVIRK_OIDC_NORD_FRON_LOCAL_SIGNIN", "false")
    monkeypatch.setenv(
        "MEDVIRK_OIDC_NORD_FRON_ROLE_MAP",
        '{"/medvirk/ra": ["quality_adviser:05", "politician"], "x": "unit_staff:hh"}',
    )

    providers = env.get_oidc_providers()

    assert set(providers) == {"ALPHA", env.oidc_key("nord-fron")}
    alpha = providers["ALPHA"]
    assert alpha["issuer"] == ISSUER
    assert alpha["name"] == "login.example.org"
    assert (alpha["roles_claim"], alpha["local_signin"], alpha["trust_mfa"]) == (
        "groups",
        True,
        False,
    )
    assert alpha["role_map"] == {"admins": ["system_admin"], "a=b": ["politician"]}
    fron = providers["NORD_FRON"]
    assert (fron["name"], fron["local_signin"]) == ("Keycloak", False)
    assert fron["role_map"] == {
        "/medvirk/ra": ["quality_adviser:05", "politician"],
        "x": ["unit_staff:hh"],
    }


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("MEDVIRK_OIDC_ALPHA_ISSUER", "login.example.org", "^MEDVIRK_OIDC_ALPHA_ISSUER: expected"),
        ("MEDVIRK_OIDC_ALPHA_CLIENT_ID", "", "^MEDVIRK_OIDC_ALPHA_CLIENT_ID: required"),
        ("MEDVIRK_OIDC_ALPHA_ROLE_MAP", "admins", "^MEDVIRK_OIDC_ALPHA_ROLE_MAP: expected"),
        ("MEDVIRK_OIDC_ALPHA_ROLE_MAP", "{not json", "^MEDVIRK_OIDC_ALPHA_ROLE_MAP: expected"),
        ("MEDVIRK_OIDC_ALPHA_LOCAL_SIGNIN", "maybe", "^MEDVIRK_OIDC_ALPHA_LOCAL_SIGNIN: expected"),
    ],
)
def test_a_bad_provider_variable_names_itself(monkeypatch, variable, value, message):
    monkeypatch.setenv("MEDVIRK_OIDC_ALPHA_ISSUER", ISSUER)
    monkeypatch.setenv("MEDVIRK_OIDC_ALPHA_CLIENT_ID", "medvirk")
    monkeypatch.setenv(variable, value)

    with pytest.raises(env.ConfigError, match=message):
        env.get_oidc_providers()


def test_check_names_role_map_entries_that_can_never_give_a_role(settings):
    settings.MEDVIRK_OIDC = {
        "ALPHA": {
            "role_map": {
                "a": ["system_admin", "boss"],
                "b": ["politician:05"],
                "c": ["quality_adviser", "unit_staff:hh"],
            }
        }
    }

    messages = [problem.msg for problem in oidc.check_role_maps()]

    assert messages == [
        "MEDVIRK_OIDC_ALPHA_ROLE_MAP: group 'a': 'boss' is not a role; use one of "
        + ", ".join(Role.values),
        "MEDVIRK_OIDC_ALPHA_ROLE_MAP: group 'b': politician is municipality-wide; write it "
        "without ':05'",
        "MEDVIRK_OIDC_ALPHA_ROLE_MAP: group 'c': quality_adviser needs a service area's code, "
        "as quality_adviser:CODE",
    ]


def test_manage_check_stops_on_a_bad_role_map():
    result = manage(
        "check",
        MEDVIRK_OIDC_ALPHA_ISSUER=ISSUER,
        MEDVIRK_OIDC_ALPHA_CLIENT_ID="medvirk",
        MEDVIRK_OIDC_ALPHA_ROLE_MAP="admins=admin",
    )

    assert result.returncode != 0
    assert "medvirk.E001" in result.stderr


def _provider(settings, role_map: dict[str, list[str]]) -> oidc.Provider:
    settings.MEDVIRK_OIDC = {
        "ALPHA": {
            "issuer": ISSUER,
            "client_id": "medvirk",
            "client_secret": "",
            "name": "Entra ID",
            "scopes": "openid email profile",
            "roles_claim": "groups",
            "role_map": role_map,
            "local_signin": True,
            "trust_mfa": False,
        }
    }
    return _provider_object(role_map)


def _provider_object(role_map: dict[str, list[str]], roles_claim: str = "groups") -> oidc.Provider:
    return oidc.Provider(
        key="ALPHA",
        issuer=ISSUER,
        client_id="medvirk",
        client_secret="",
        name="Entra ID",
        scopes="openid email profile",
        roles_claim=roles_claim,
        role_map=tuple((group, tuple(roles)) for group, roles in role_map.items()),
        local_signin=True,
        trust_mfa=False,
    )


def test_scoped_roles_are_found_by_their_codes(world, settings):
    provider = _provider(
        settings,
        {
            "advisers": ["quality_adviser:05"],
            "nord": ["unit_staff:n-shj", "unit_manager:no-such-unit"],
        },
    )
    assert oidc.provider_for(world.alpha) == provider
    assert oidc.provider_for(world.beta) is None

    given, managed = oidc.mapped_roles(provider, world.alpha, {"groups": ["nord"]})

    assert given == {oidc.RoleScope(Role.UNIT_STAFF, unit_id=world.unit.pk)}
    assert managed == given | {oidc.RoleScope(Role.QUALITY_ADVISER, service_area_id=world.area.pk)}


def test_sync_changes_only_the_roles_the_map_can_give(world, settings):
    provider = _provider(settings, {"admins": ["system_admin"], "nord": ["unit_staff:n-shj"]})
    manager = world.people["manager"]
    RoleAssignment.objects.create(
        user=manager, municipality=world.alpha, role=Role.UNIT_STAFF, unit=world.unit
    )
    given, managed = oidc.mapped_roles(provider, world.alpha, {"groups": ["admins"]})

    services.provider_roles_sync(
        municipality=world.alpha, user=manager, given=given, managed=managed
    )

    roles = set(RoleAssignment.objects.filter(user=manager).values_list("role", "unit_id"))
    # The manager role is Medvirk's own; unit staff went with the group, admin came with one.
    assert roles == {(Role.UNIT_MANAGER, world.unit.pk), (Role.SYSTEM_ADMIN, None)}
    assert list(
        AuditEntry.objects.filter(target_id=str(manager.pk)).values_list("action", "actor_name")
    ) == [("role.revoke", "Medvirk"), ("role.assign", "Medvirk")]


def test_claimed_groups_and_multi_factor_read_common_shapes():
    provider = _provider_object({}, roles_claim="roles")

    assert oidc.claimed_groups(provider, {"roles": "a b"}) == {"a", "b"}
    assert oidc.claimed_groups(provider, {"roles": ["a", 3]}) == {"a", "3"}
    assert oidc.claimed_groups(provider, {"groups": ["a"]}) == set()
    assert oidc.multi_factor({"amr": ["pwd", "mfa"]})
    assert not oidc.multi_factor({"amr": ["pwd"]})
    assert not oidc.multi_factor({})
    assert oidc.verified_email({"email": "a@b.no", "email_verified": True}) == "a@b.no"
    assert oidc.verified_email({"email": "a@b.no"}) == ""


def test_the_sign_in_page_without_a_provider_is_the_password_form(world):
    page = Client(HTTP_HOST="alpha.test").get("/staff/login/")

    assert b'name="password"' in page.content
    assert b"/staff/login/provider/" not in page.content
    assert Client(HTTP_HOST="alpha.test").get("/staff/login/provider/").status_code == 404


def test_an_address_matches_only_staff_of_the_same_municipality(world):
    beta_admin = world.people["beta_admin"]
    beta_admin.email = "kari@example.test"
    beta_admin.save()
    politician = {oidc.RoleScope(Role.POLITICIAN)}

    def sign_in(subject: str) -> User:
        return services.provider_signin(
            municipality=world.alpha,
            issuer=ISSUER,
            claims={"sub": subject, "preferred_username": "beta-admin"},
            email="kari@example.test",
            given=politician,
            managed=politician,
        )

    user = sign_in("k-1")

    assert user != beta_admin
    assert user.username == "beta-admin-2"
    assert sign_in("k-1") == user
    # Now alpha has a user with the address, linked to k-1: another identity is refused.
    with pytest.raises(ValidationError) as refused:
        sign_in("k-2")
    assert refused.value.code == "linked"


def test_no_role_and_no_map_creates_nobody(world):
    with pytest.raises(ValidationError) as refused:
        services.provider_signin(
            municipality=world.alpha,
            issuer=ISSUER,
            claims={"sub": "x"},
            email="",
            given=None,
            managed=set(),
        )

    assert refused.value.code == "no_role"
    assert not User.objects.filter(provider_identities__isnull=False).exists()
