"""What a round's secret key does: derive codes, hash them for look-up, seal small values.

Each round has its own random 32-byte key, kept in a file outside the database (see
``keyring``). Everything that could tie a recipient to their access code, their draft or
their response passes through it: the code is an HMAC of the recipient's seed, the access
code's row is found by an HMAC of the code, and the seed, the preferred language and the
draft answers are sealed (AES-256-GCM, a fresh random nonce each time) so that writing them
again gives bytes nobody can compare. Without the key a database copy holds random-looking
values only; once the key is destroyed, nobody can link them again.

No Django here.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from . import codes

KEY_BYTES = 32
NONCE_BYTES = 12


class SealBroken(Exception):
    """A sealed value that this key did not seal (a wrong key file, or a changed row)."""


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def fingerprint(key: bytes) -> str:
    """Kept in the database to tell a wrong or missing key file at once; gives no key."""
    return hashlib.sha256(b"medvirk round key fingerprint\0" + key).hexdigest()[:32]


def _subkey(key: bytes, purpose: str) -> bytes:
    return hmac.new(key, f"medvirk.round.{purpose}".encode(), hashlib.sha256).digest()


@dataclass(frozen=True)
class RoundKeys:
    """The keys of one round, each for one purpose, all from the round's key."""

    code: bytes
    lookup: bytes
    seal: bytes

    @classmethod
    def from_key(cls, key: bytes) -> RoundKeys:
        return cls(
            code=_subkey(key, "code"), lookup=_subkey(key, "lookup"), seal=_subkey(key, "seal")
        )

    def derive(self, seed: bytes) -> str:
        return codes.derive(seed, key=self.code)

    def lookup_of(self, code: str) -> str:
        return codes.lookup_hash(code, key=self.lookup)

    def seal_bytes(self, value: bytes, *, context: str) -> str:
        """``value`` encrypted and authenticated, bound to ``context`` (what it belongs to)."""
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = AESGCM(self.seal).encrypt(nonce, value, context.encode())
        return base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def open_bytes(self, sealed: str, *, context: str) -> bytes:
        try:
            raw = base64.urlsafe_b64decode(sealed.encode("ascii"))
            return AESGCM(self.seal).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
        except (InvalidTag, ValueError) as exc:
            raise SealBroken(context) from exc

    def seal_text(self, value: str, *, context: str) -> str:
        return self.seal_bytes(value.encode(), context=context)

    def open_text(self, sealed: str, *, context: str) -> str:
        return self.open_bytes(sealed, context=context).decode()
