"""Headings and values normalised for matching, and values shortened for showing."""

from __future__ import annotations

import datetime
import re
import unicodedata

from .vocabulary import _IDENTITY_HEADER_KEYS, _IDENTITY_HEADER_PARTS, HEADER_SYNONYMS

_NOT_ALNUM = re.compile(r"[\W_]+")
_HEADER_SEPARATORS = re.compile(r"[\s_.\-]+")
_POSTAL_CODE = re.compile(r"(\d{1,4})(?:[.,]0+)?")
_IDENTITY_NUMBER = re.compile(r"(?<!\d)\d{6}[ .\-]?\d{5}(?!\d)")
_SHOWN_LENGTH = 60


def normalise_label(text: str) -> str:
    """Casefold, collapse whitespace and strip: how units, services and headings compare."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def identity(
    name: str, street_address: str, postal_code: str, unit_id: int
) -> tuple[str, str, str, int]:
    """The key that says two rows are the same person at the same unit.

    Case, spacing and punctuation do not count: "Ola Nordmann, Storgata 1 B" and
    "OLA  NORDMANN, Storgata 1b" are the same person.
    """
    return (
        _identity_part(name),
        _identity_part(street_address),
        _identity_part(postal_code),
        unit_id,
    )


def _identity_part(text: str) -> str:
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).casefold())


def _header_key(text: str) -> str:
    """A heading reduced for matching: "Post-nr.:" and "postnr" give the same key."""
    label = normalise_label(text).rstrip(":* ")
    label = _HEADER_SEPARATORS.sub("", label)
    return label.replace("å", "aa").replace("æ", "ae").replace("ø", "oe").replace("ä", "ae")


def _synonym_keys(synonym: str) -> set[str]:
    """The keys a synonym matches: as written, with aa/ae/oe, and with plain a/ae/o."""
    plain = normalise_label(synonym).replace("å", "a").replace("ø", "o").replace("æ", "ae")
    return {_header_key(synonym), _header_key(plain)}


_FIELD_BY_KEY: dict[str, str] = {
    key: name
    for name, synonyms in HEADER_SYNONYMS.items()
    for synonym in synonyms
    for key in _synonym_keys(synonym)
}


def _looks_like_identity_number_header(key: str) -> bool:
    return key in _IDENTITY_HEADER_KEYS or any(part in key for part in _IDENTITY_HEADER_PARTS)


def _shown(value: str) -> str:
    """A cell's value as it may appear in a message: identity numbers hidden, length capped."""
    value = _IDENTITY_NUMBER.sub("•" * 11, value)
    if len(value) > _SHOWN_LENGTH:
        value = value[: _SHOWN_LENGTH - 1] + "…"
    return value


def _clean(value: str) -> str:
    """Trim, and collapse runs of whitespace (line breaks in a cell too) to one space."""
    return " ".join(value.split())


def _cell_text(value: object) -> str:
    """An XLSX cell's value as text; numbers without a spurious ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    return str(value)
