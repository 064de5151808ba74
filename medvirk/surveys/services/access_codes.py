"""A round's access codes: keys derived from the installation's secret, the round's
codes and whether they were used."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings

from .. import codes, keyring, roundkey
from ..models import AccessCode, Recipient, Round


def _key(purpose: str) -> bytes:
    """A key for one purpose, derived from MEDVIRK_CODE_SECRET (or SECRET_KEY)."""
    base = (settings.MEDVIRK_CODE_SECRET or settings.SECRET_KEY).encode()
    return hmac.new(base, f"medvirk.surveys.{purpose}".encode(), hashlib.sha256).digest()


@dataclass(frozen=True)
class RoundCodes:
    """One round's codes: derived from each recipient's seed, found by a keyed hash.

    Everything here needs the round's key, read from its file (``keyring``). A legacy
    round's codes are 8 characters derived with the installation's secret, as they were
    printed before round keys came in; they are looked up with the round's key all the same.
    """

    round_pk: int
    scheme: str
    keys: roundkey.RoundKeys

    def seal_seed(self, seed: bytes) -> str:
        return self.keys.seal_bytes(seed, context=f"seed:{self.round_pk}")

    def open_seed(self, sealed: str) -> bytes:
        return self.keys.open_bytes(sealed, context=f"seed:{self.round_pk}")

    def derive(self, seed: bytes) -> str:
        if self.scheme == Round.CodeScheme.LEGACY:
            return codes.derive_legacy(seed, secret=_key("code"))
        return self.keys.derive(seed)

    def code_of(self, recipient: Recipient) -> str:
        """The recipient's plain code, for printing in a letter (and nowhere else)."""
        return self.derive(self.open_seed(recipient.code_seed))

    def lookup_of(self, code: str) -> str:
        return self.keys.lookup_of(code)

    def lookup_of_recipient(self, recipient: Recipient) -> str:
        return self.lookup_of(self.code_of(recipient))


def round_codes(round_: Round) -> RoundCodes:
    """The round's codes; ``keyring.KeyProblem`` if its key file is missing or wrong."""
    key = keyring.load(round_.pk, round_.key_fingerprint)
    return RoundCodes(round_.pk, round_.code_scheme, roundkey.RoundKeys.from_key(key))


def code_of(recipient: Recipient) -> str:
    """The recipient's plain code, for printing in a letter (and nowhere else)."""
    return round_codes(recipient.round).code_of(recipient)


def _scheme_of(code: str) -> str:
    return (
        Round.CodeScheme.LEGACY if len(code) == codes.LEGACY_LENGTH else Round.CodeScheme.ROUND_KEY
    )


def _new_seeds(round_codes_: RoundCodes, count: int) -> list[tuple[bytes, str]]:
    """``count`` (seed, lookup) pairs whose codes no access code has, nor each other.

    Collisions are rare (50,000 codes use one 700-billionth of the 55-bit space), so codes
    are made in bulk and checked against the database in batches, not one by one.
    """
    pairs: dict[str, bytes] = {}  # lookup -> seed
    while len(pairs) < count:
        batch = {}
        for _i in range(count - len(pairs)):
            seed = codes.new_seed()
            batch[round_codes_.lookup_of(round_codes_.derive(seed))] = seed
        fresh = set(batch) - set(pairs)
        for chunk in _chunks(sorted(fresh), 5000):
            fresh -= set(
                AccessCode.objects.filter(lookup__in=chunk).values_list("lookup", flat=True)
            )
        pairs.update({lookup: batch[lookup] for lookup in fresh})
    return [(seed, lookup) for lookup, seed in pairs.items()]


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _access_code_for(
    round_codes_: RoundCodes, recipient: Recipient, lookup: str, *, language: str
) -> AccessCode:
    pk = uuid.uuid4()
    return AccessCode(
        id=pk,
        round_id=round_codes_.round_pk,
        lookup=lookup,
        unit_id=recipient.unit_id,
        service_type_id=recipient.service_type_id,
        audience=recipient.audience,
        sealed_language=round_codes_.keys.seal_text(language, context=f"language:{pk}"),
    )


def code_used(recipient: Recipient, *, round_codes_: RoundCodes | None = None) -> bool:
    """Whether the recipient's code has been used (by the web or a paper form)."""
    round_codes_ = round_codes_ or round_codes(recipient.round)
    lookup = round_codes_.lookup_of_recipient(recipient)
    return AccessCode.objects.filter(round_id=recipient.round_id, lookup=lookup, used=True).exists()


def answered_test(round_: Round) -> Callable[[Recipient], bool]:
    """A test for "has this recipient answered?", for many recipients of one round: one
    query for the used codes, then a derivation per recipient (for reminder letters)."""
    round_codes_ = round_codes(round_)
    used = set(AccessCode.objects.filter(round=round_, used=True).values_list("lookup", flat=True))
    if not used:
        return lambda _recipient: False
    return lambda recipient: round_codes_.lookup_of_recipient(recipient) in used
