"""Access codes: what the letter prints, what the respondent types, what the database keeps.

A code is 8 characters from Crockford's base-32 alphabet (digits and capital letters
without I, L, O and U), 40 random bits, printed as ``XXXX-XXXX``. No two characters of the
alphabet look alike, and what a reader may mistake for a missing letter is read as the
digit it resembles (O → 0, I and L → 1), so ``abcd efgh``, ``ABCD-EFGH`` and ``AbCdEfGh``
are the same code.

The plain code is never stored. Each recipient has a random seed; the code is derived from
the seed with a server secret (so a reminder letter can print the same code again), and the
database holds only a keyed hash of the code for looking it up. Without the secret neither
the seed nor the hash gives the code. No Django here: callers pass the secrets in.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32
LENGTH = 8
BITS = 5 * LENGTH  # 40 bits: the product promises at least 39
SEED_BYTES = 16
# What people type for a character that is not in the alphabet but looks like one that is.
LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
SEPARATORS = str.maketrans("", "", " -–—_.\t")


def new_seed() -> str:
    """A fresh random seed for one recipient, as hex."""
    return secrets.token_hex(SEED_BYTES)


def derive(seed: str, *, secret: bytes) -> str:
    """The recipient's code, without the dash: the same seed and secret give the same code."""
    digest = hmac.new(secret, bytes.fromhex(seed), hashlib.sha256).digest()
    number = int.from_bytes(digest[:5], "big")  # 40 bits
    chars = []
    for _ in range(LENGTH):
        number, rest = divmod(number, 32)
        chars.append(ALPHABET[rest])
    return "".join(reversed(chars))


def lookup_hash(code: str, *, secret: bytes) -> str:
    """The keyed hash kept in the database for a (normalised) code."""
    return hmac.new(secret, code.encode("ascii"), hashlib.sha256).hexdigest()


def normalise(typed: str) -> str | None:
    """What a respondent typed, as the 8-character code it means; None if it can be none."""
    code = typed.upper().translate(SEPARATORS).translate(LOOK_ALIKES)
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code


def display(code: str) -> str:
    """``ABCDEFGH`` → ``ABCD-EFGH``, as printed in letters."""
    return f"{code[:4]}-{code[4:]}"


def random_code() -> str:
    """A code that belongs to nobody, e.g. for an attacker in the tests."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
