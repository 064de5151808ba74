"""The test provider's claims: the standard ones from the user, and the groups and
authentication methods from a JSON file the tests edit (the provider's directory,
``PROVIDER_DIRECTORY``, set by serve.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def userinfo(claims: dict[str, Any], user: Any) -> dict[str, Any]:
    claims["preferred_username"] = user.username
    claims["given_name"] = user.first_name
    claims["family_name"] = user.last_name
    claims["email"] = user.email
    claims["email_verified"] = True
    return claims


def directory_claims(id_token: dict[str, Any], user: Any, **kwargs: Any) -> dict[str, Any]:
    entry = json.loads(Path(os.environ["PROVIDER_DIRECTORY"]).read_text()).get(user.username, {})
    id_token["groups"] = entry.get("groups", [])
    id_token["amr"] = entry.get("amr", ["pwd"])
    return id_token
