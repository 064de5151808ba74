"""Access codes: what the letter prints, what the respondent types, what the database keeps.

A code is 12 characters from Crockford's base-32 alphabet (digits and capital letters
without I, L, O and U), printed as ``XXXX-XXXX-XXXX``: 11 random characters (55 bits) and a
check character. No two characters of the alphabet look alike, and what a reader may
mistake for a missing letter is read as the digit it resembles (O → 0, I and L → 1), so
``abcd efgh jkmn`` and ``ABCD-EFGH-JKMN`` are the same code.

The check character makes the weighted sum of all twelve characters zero in GF(32), with a
distinct non-zero weight for each position. A single wrong character changes the sum by
its weight times the difference, never zero in a field; two characters swapped change it
by (difference of weights) × (difference of characters), never zero either. So every
single typing error and every swap of two characters is caught before the code is looked
up, and costs the respondent nothing; a guess has to get the check right to count.

Rounds that were open before these codes came in keep their 8-character codes (40 random
bits, no check character, derived with the installation's secret) until they are purged:
``derive_legacy``.

The plain code is never stored. Each recipient has a random seed; the code is derived from
the seed with a key, so a reminder letter can print the same code again. No Django here:
callers pass the keys in.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32
RANDOM_LENGTH = 11
LENGTH = RANDOM_LENGTH + 1  # and a check character
BITS = 5 * RANDOM_LENGTH  # 55 random bits
LEGACY_LENGTH = 8
LEGACY_BITS = 5 * LEGACY_LENGTH
SEED_BYTES = 16
# What people type for a character that is not in the alphabet but looks like one that is.
LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
SEPARATORS = str.maketrans("", "", " -–—_.\t")

# GF(32) as polynomials over GF(2) modulo x⁵ + x² + 1, which is primitive: x generates all
# 31 non-zero elements, so x¹ … x¹¹ and 1 are twelve distinct non-zero weights.
_MODULUS = 0b100101


def _times_x(value: int) -> int:
    value <<= 1
    return value ^ _MODULUS if value & 0b100000 else value


def _gf_multiply(a: int, b: int) -> int:
    product = 0
    while b:
        if b & 1:
            product ^= a
        a = _times_x(a)
        b >>= 1
    return product


def _powers_of_x(count: int) -> list[int]:
    powers, value = [], 1
    for _ in range(count):
        value = _times_x(value)
        powers.append(value)
    return powers


# Positions 0–10 weigh x¹ … x¹¹; the check character at position 11 weighs 1.
WEIGHTS = (*_powers_of_x(RANDOM_LENGTH), 1)


def _weighted_sum(code: str) -> int:
    total = 0
    for weight, char in zip(WEIGHTS, code, strict=False):
        total ^= _gf_multiply(weight, ALPHABET.index(char))
    return total


def check_character(body: str) -> str:
    """The character that completes 11 random characters to a code."""
    return ALPHABET[_weighted_sum(body)]  # in characteristic 2, minus is plus


def check_ok(code: str) -> bool:
    """Whether a normalised code could have been printed. Legacy codes have no check."""
    if len(code) == LEGACY_LENGTH:
        return True
    return len(code) == LENGTH and _weighted_sum(code) == 0


def new_seed() -> bytes:
    """A fresh random seed for one recipient."""
    return secrets.token_bytes(SEED_BYTES)


def _chars(number: int, count: int) -> str:
    chars = []
    for _ in range(count):
        number, rest = divmod(number, 32)
        chars.append(ALPHABET[rest])
    return "".join(reversed(chars))


def derive(seed: bytes, *, key: bytes) -> str:
    """The recipient's code, without dashes: the same seed and key give the same code."""
    digest = hmac.new(key, seed, hashlib.sha256).digest()
    body = _chars(int.from_bytes(digest[:7], "big") >> 1, RANDOM_LENGTH)  # 55 bits
    return body + check_character(body)


def derive_legacy(seed: bytes, *, secret: bytes) -> str:
    """An 8-character code of a round made before check characters (40 bits)."""
    digest = hmac.new(secret, seed, hashlib.sha256).digest()
    return _chars(int.from_bytes(digest[:5], "big"), LEGACY_LENGTH)


def lookup_hash(code: str, *, key: bytes) -> str:
    """The keyed hash kept in the database for a (normalised) code."""
    return hmac.new(key, code.encode("ascii"), hashlib.sha256).hexdigest()


def normalise(typed: str) -> str | None:
    """What a respondent typed, as the code it means (12 or, for old rounds, 8 characters);
    None if it can be none. The check character is not looked at here (``check_ok``)."""
    code = typed.upper().translate(SEPARATORS).translate(LOOK_ALIKES)
    if len(code) not in (LENGTH, LEGACY_LENGTH) or any(char not in ALPHABET for char in code):
        return None
    return code


def display(code: str) -> str:
    """``ABCDEFGHJKMN`` → ``ABCD-EFGH-JKMN``, as printed in letters (``ABCD-EFGH`` if old)."""
    return "-".join(code[start : start + 4] for start in range(0, len(code), 4))


def random_code() -> str:
    """A well-formed code that belongs to nobody yet, e.g. for an attacker in the tests."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return body + check_character(body)
