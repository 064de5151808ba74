"""The one place where Medvirk reads its environment.

Every variable is read through the helpers below, so that a bad value stops start-up with
one line that names the variable and says what it expects (see ``ConfigError``).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

# Deleted rows are overwritten with zeros, not left readable in the file: a deleted answer
# draft holds what someone wrote next to who they are (see docs/surveys.md).
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA secure_delete = ON;",
}

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class ConfigError(ImproperlyConfigured):
    """A setting in the environment is missing or malformed.

    Its message is one line: the variable's name, what it expects and what it got.
    """


def read_dotenv(path: Path) -> None:
    """Load ``KEY=value`` lines from ``path`` into the environment, never overriding it.

    The file is optional; the real environment always wins.
    """
    if not path.is_file():
        return
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"{path}:{number}: expected KEY=value, got {line!r}")
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


def get_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def get_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"{name}: expected true or false, got {raw!r}")


def get_int(name: str, *, default: int, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}: expected a whole number, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name}: expected a whole number of {minimum} or more, got {raw!r}")
    return value


def get_choice(name: str, choices: tuple[str, ...], *, default: str) -> str:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if raw.upper() not in choices:
        raise ConfigError(f"{name}: expected one of {', '.join(choices)}, got {raw!r}")
    return raw.upper()


def get_list(name: str, *, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def get_database(name: str, *, default_sqlite_path: Path) -> dict[str, Any]:
    """Parse ``DATABASE_URL``: PostgreSQL (``postgres://…``) or SQLite (``sqlite:///…``)."""
    expected = "expected postgres://USER:PASSWORD@HOST:PORT/NAME or sqlite:///PATH"
    raw = os.environ.get(name, "").strip()
    shown = _without_password(raw)
    if not raw:
        default_sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(default_sqlite_path),
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    scheme = urlsplit(raw).scheme
    if scheme not in {"postgres", "postgresql", "pgsql", "sqlite"}:
        raise ConfigError(f"{name}: {expected}, got {shown!r}")
    try:
        config = dict(dj_database_url.parse(raw, conn_max_age=60))
    except (ValueError, KeyError) as exc:
        raise ConfigError(f"{name}: {expected}, got {shown!r} ({exc})") from None
    if scheme == "sqlite":
        if not config.get("NAME") or config["NAME"] == ":memory:":
            raise ConfigError(f"{name}: {expected}, got {shown!r} (no file path)")
        config["OPTIONS"] = dict(SQLITE_OPTIONS)
    elif not config.get("NAME") or not config.get("HOST"):
        raise ConfigError(f"{name}: {expected}, got {shown!r} (host or database missing)")
    return config


def _without_password(url: str) -> str:
    """The URL as it may be printed: a password in it is replaced by ``***``."""
    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", url)


OIDC_PREFIX = "MEDVIRK_OIDC_"
OIDC_ISSUER_SUFFIX = "_ISSUER"


def oidc_key(slug: str) -> str:
    """A municipality's slug as it appears in its ``MEDVIRK_OIDC_<SLUG>_*`` variables."""
    return slug.upper().replace("-", "_")


def get_oidc_providers() -> dict[str, dict[str, Any]]:
    """Staff single sign-on, one OpenID Connect provider per municipality.

    A municipality has one when ``MEDVIRK_OIDC_<SLUG>_ISSUER`` is set; the other variables
    with the same prefix complete it (docs/configuration.md). Keyed by ``oidc_key(slug)``.
    """
    providers: dict[str, dict[str, Any]] = {}
    for variable in sorted(os.environ):
        if not (variable.startswith(OIDC_PREFIX) and variable.endswith(OIDC_ISSUER_SUFFIX)):
            continue
        key = variable[len(OIDC_PREFIX) : -len(OIDC_ISSUER_SUFFIX)]
        if not key or not get_str(variable):
            continue
        providers[key] = _oidc_provider(f"{OIDC_PREFIX}{key}_")
    return providers


def _oidc_provider(prefix: str) -> dict[str, Any]:
    issuer = get_str(f"{prefix}ISSUER").rstrip("/")
    if urlsplit(issuer).scheme not in {"https", "http"} or not urlsplit(issuer).netloc:
        raise ConfigError(
            f"{prefix}ISSUER: expected the provider's issuer address, e.g. "
            f"https://login.microsoftonline.com/TENANT/v2.0, got {issuer!r}"
        )
    client_id = get_str(f"{prefix}CLIENT_ID")
    if not client_id:
        raise ConfigError(f"{prefix}CLIENT_ID: required when {prefix}ISSUER is set")
    return {
        "issuer": issuer,
        "client_id": client_id,
        "client_secret": get_str(f"{prefix}CLIENT_SECRET"),
        "name": get_str(f"{prefix}NAME") or urlsplit(issuer).netloc,
        "scopes": get_str(f"{prefix}SCOPES", default="openid email profile"),
        "roles_claim": get_str(f"{prefix}ROLES_CLAIM", default="groups"),
        "role_map": get_role_map(f"{prefix}ROLE_MAP"),
        "local_signin": get_bool(f"{prefix}LOCAL_SIGNIN", default=True),
        "trust_mfa": get_bool(f"{prefix}TRUST_MFA", default=False),
    }


def get_role_map(name: str) -> dict[str, list[str]]:
    """A provider group → Medvirk roles map: JSON (``{"group": "role"}``, a role or a list of
    roles per group) or ``group=role,group=role`` (a group may come back for a second role).

    A role is a role code, with ``:CODE`` for a role that needs a scope (a service area's or a
    unit's code). Whether the codes exist is checked by ``manage.py check``, not here.
    """
    raw = os.environ.get(name, "").strip()
    expected = 'expected JSON such as {"group": "role"} or group=role,group=role'
    if not raw:
        return {}
    if raw.startswith("{"):
        try:
            parsed = json.loads(raw)
        except ValueError:
            raise ConfigError(f"{name}: {expected}, got {raw!r}") from None
        pairs = [
            (str(group), str(role))
            for group, roles in parsed.items()
            for role in (roles if isinstance(roles, list) else [roles])
        ]
    else:
        pairs = []
        for item in raw.split(","):
            group, sep, role = item.strip().rpartition("=")
            if not sep or not group.strip() or not role.strip():
                raise ConfigError(f"{name}: {expected}, got {raw!r}")
            pairs.append((group.strip(), role.strip()))
    role_map: dict[str, list[str]] = {}
    for group, role in pairs:
        role_map.setdefault(group, []).append(role)
    return role_map
