"""Making, hashing and checking API keys.

A key reads ``mvk_<prefix>_<secret>``: the prefix (8 hex characters) is stored as it is,
so that a key can be found and named in lists and logs; the secret is 32 random bytes.

Only SHA-256 of the whole key is stored, not a password hash (PBKDF2, Argon2): a password
hasher is slow on purpose, to make guessing a person's short password from a stolen hash
too costly. A 256-bit random secret cannot be guessed however fast the hash, so slowness
adds no protection; it would only cost a hundred milliseconds of CPU on every API request
and make the API easy to overload. A plain hash, unlike an HMAC with the installation's
secret, also keeps working when ``SECRET_KEY`` is rotated.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from django.utils.crypto import constant_time_compare

PREFIX = "mvk"
KEY_PATTERN = re.compile(r"^mvk_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$")


def new_key() -> tuple[str, str]:
    """A new key and its prefix."""
    prefix = secrets.token_hex(4)
    return f"{PREFIX}_{prefix}_{secrets.token_urlsafe(32)}", prefix


def hashed(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def prefix_of(key: str) -> str | None:
    """The prefix of a well-formed key; None for anything else."""
    found = KEY_PATTERN.match(key)
    return found.group(1) if found else None


def matches(key: str, stored_hash: str) -> bool:
    return constant_time_compare(hashed(key), stored_hash)
