"""Staff single sign-on through a municipality's OpenID Connect provider (Microsoft Entra ID,
Keycloak, ID-porten's employee login or any other standard one).

Authlib's Django client does the protocol: discovery (``issuer`` +
``/.well-known/openid-configuration``), the authorisation code flow with PKCE, ``state`` and
``nonce`` kept in the session, and the ID token checked against the provider's keys (JWKS),
issuer, audience, expiry and nonce. Authlib rather than mozilla-django-oidc because one
installation serves several municipalities, each with its own provider, chosen by the
request's host: Authlib makes one client per municipality from its configuration, where
mozilla-django-oidc reads a single provider from settings.

This module reads (configuration, claims, which user an identity is); the writes are in
``services.provider_signin`` and ``services.provider_roles_sync``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from django.conf import settings
from django.core import checks
from django.http import HttpRequest

from medvirk.settings.env import oidc_key

from .models import (
    MUNICIPALITY_ROLES,
    SERVICE_AREA_ROLES,
    UNIT_ROLES,
    Municipality,
    Role,
    ServiceArea,
    Unit,
)

logger = logging.getLogger(__name__)

# What the session keeps of a sign-in through the provider: which one, its ID token (the
# hint its end-session endpoint asks for when the user signs out) and that endpoint.
SESSION_KEY = "medvirk_oidc"
# Seconds Medvirk waits for the provider's discovery, keys and token endpoints.
PROVIDER_TIMEOUT = 10
# The ``amr`` value (RFC 8176) a provider sends when the person gave more than a password.
MULTI_FACTOR_AMR = "mfa"


@dataclass(frozen=True)
class Provider:
    """One municipality's sign-in provider, as configured in the environment."""

    key: str
    issuer: str
    client_id: str
    client_secret: str
    name: str
    scopes: str
    roles_claim: str
    role_map: tuple[tuple[str, tuple[str, ...]], ...]
    local_signin: bool
    trust_mfa: bool

    @property
    def maps_roles(self) -> bool:
        return bool(self.role_map)


@dataclass(frozen=True)
class RoleScope:
    """A role with its scope, as a role assignment holds it (ids, so that sets compare)."""

    role: str
    service_area_id: int | None = None
    unit_id: int | None = None


def provider_for(municipality: Municipality | None) -> Provider | None:
    """The municipality's provider, or None when its staff sign in with passwords only."""
    if municipality is None:
        return None
    config = settings.MEDVIRK_OIDC.get(oidc_key(municipality.slug))
    if config is None:
        return None
    return Provider(
        key=oidc_key(municipality.slug),
        issuer=config["issuer"],
        client_id=config["client_id"],
        client_secret=config["client_secret"],
        name=config["name"],
        scopes=config["scopes"],
        roles_claim=config["roles_claim"],
        role_map=tuple((group, tuple(roles)) for group, roles in config["role_map"].items()),
        local_signin=config["local_signin"],
        trust_mfa=config["trust_mfa"],
    )


def signed_in_through_provider(request: HttpRequest) -> bool:
    """Whether this session's user signed in through the provider, which is then the one
    responsible for the second factor (middleware.TwoFactorMiddleware)."""
    session = getattr(request, "session", None)
    return session is not None and SESSION_KEY in session


def local_signin_allowed(municipality: Municipality | None) -> bool:
    """Whether staff may still sign in with a Medvirk password here."""
    provider = provider_for(municipality)
    return provider is None or provider.local_signin


_clients: dict[tuple[str, ...], DjangoOAuth2App] = {}
_clients_lock = threading.Lock()


def client_for(provider: Provider) -> DjangoOAuth2App:
    """The provider's Authlib client, made once per process (it keeps the discovery
    document and the keys it fetched)."""
    identity = (
        provider.key,
        provider.issuer,
        provider.client_id,
        provider.client_secret,
        provider.scopes,
    )
    with _clients_lock:
        if identity not in _clients:
            registry = OAuth()
            _clients[identity] = registry.register(
                name=f"medvirk_{provider.key.lower()}",
                client_id=provider.client_id,
                client_secret=provider.client_secret or None,
                server_metadata_url=f"{provider.issuer}/.well-known/openid-configuration",
                client_kwargs={
                    "scope": provider.scopes,
                    "code_challenge_method": "S256",
                    "default_timeout": PROVIDER_TIMEOUT,
                },
            )
        return _clients[identity]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def end_session_endpoint(provider: Provider) -> str:
    """The provider's end-session endpoint (RP-initiated logout), or "" when it has none or
    its discovery document cannot be read. Read once, at sign-in, and kept in the session."""
    try:
        metadata = client_for(provider).load_server_metadata()
    except (AuthlibBaseError, requests.RequestException) as exc:
        logger.warning("OpenID Connect: no end-session for %s: %s", provider.issuer, exc)
        return ""
    endpoint = metadata.get("end_session_endpoint")
    return endpoint if isinstance(endpoint, str) else ""


def form_action_sources(request: HttpRequest, provider: Provider) -> list[str]:
    """Where the sign-out form of a user who signed in through the provider may lead: the
    provider's end-session endpoint. Browsers hold a form's redirects to the page's
    ``form-action`` too, so without it signing out would stop at Medvirk's redirect.

    From the session, kept there at sign-in: every page has the sign-out form, and none
    should wait for the provider's discovery document.
    """
    if not signed_in_through_provider(request):
        return []
    sources = [_origin(provider.issuer)]
    endpoint = request.session[SESSION_KEY].get("end_session", "")
    if endpoint and _origin(endpoint) not in sources:
        sources.append(_origin(endpoint))
    return sources


def claimed_groups(provider: Provider, claims: Mapping[str, Any]) -> set[str]:
    """The groups (or roles) the provider says the person has, from ``roles_claim``."""
    value = claims.get(provider.roles_claim)
    if isinstance(value, str):
        return set(value.split())
    if isinstance(value, list | tuple):
        return {str(item) for item in value}
    return set()


def _scope(municipality: Municipality, entry: str) -> RoleScope | None:
    """A role map entry (``role`` or ``role:CODE``) as a role with its scope in the
    municipality, or None when it names no role or no scope there (``manage.py check``
    reports such entries)."""
    role, _sep, code = entry.partition(":")
    if role in MUNICIPALITY_ROLES and not code:
        return RoleScope(role)
    if role in SERVICE_AREA_ROLES and code:
        area = ServiceArea.objects.filter(municipality=municipality, code=code).first()
        return RoleScope(role, service_area_id=area.pk) if area is not None else None
    if role in UNIT_ROLES and code:
        units = list(Unit.objects.filter(service_area__municipality=municipality, code=code)[:2])
        return RoleScope(role, unit_id=units[0].pk) if len(units) == 1 else None
    return None


def mapped_roles(
    provider: Provider, municipality: Municipality, claims: Mapping[str, Any]
) -> tuple[set[RoleScope], set[RoleScope]]:
    """The roles the person's groups give, and every role the map can give (those are the
    ones the provider decides; the others stay as they are assigned in Medvirk)."""
    groups = claimed_groups(provider, claims)
    given: set[RoleScope] = set()
    managed: set[RoleScope] = set()
    for group, entries in provider.role_map:
        for entry in entries:
            scope = _scope(municipality, entry)
            if scope is None:
                continue
            managed.add(scope)
            if group in groups:
                given.add(scope)
    return given, managed


def multi_factor(claims: Mapping[str, Any]) -> bool:
    """Whether the ID token says the person gave more than a password (``amr``)."""
    amr = claims.get("amr")
    if isinstance(amr, str):
        amr = [amr]
    return isinstance(amr, list) and MULTI_FACTOR_AMR in amr


def verified_email(claims: Mapping[str, Any]) -> str:
    """The person's e-mail address, if the provider says it has verified it; else ''."""
    email = claims.get("email")
    if isinstance(email, str) and claims.get("email_verified") in (True, "true"):
        return email.strip()
    return ""


def _entry_problem(entry: str) -> str | None:
    role, _sep, code = entry.partition(":")
    if role not in Role.values:
        return f"{role!r} is not a role; use one of {', '.join(Role.values)}"
    if role in MUNICIPALITY_ROLES and code:
        return f"{role} is municipality-wide; write it without ':{code}'"
    if role not in MUNICIPALITY_ROLES and not code:
        needs = "a service area's" if role in SERVICE_AREA_ROLES else "a unit's"
        return f"{role} needs {needs} code, as {role}:CODE"
    return None


def check_role_maps(**kwargs: Any) -> list[checks.CheckMessage]:
    """``manage.py check`` names every role map entry that can never give a role
    (registered in apps.py)."""
    problems: list[checks.CheckMessage] = []
    for key, config in settings.MEDVIRK_OIDC.items():
        for group, entries in config["role_map"].items():
            for entry in entries:
                problem = _entry_problem(entry)
                if problem is not None:
                    problems.append(
                        checks.Error(
                            f"MEDVIRK_OIDC_{key}_ROLE_MAP: group {group!r}: {problem}",
                            id="medvirk.E001",
                        )
                    )
    return problems
