"""Personal data in free-text comments, found before anyone but a quality adviser reads them.

Flags national identity numbers (11 digits whose two check digits are right, with or without
a space after the birth date), Norwegian phone numbers, e-mail addresses and the names of
the round's recipients. A flag is a place in the text and a kind, never the data itself, so
the list of flags holds nothing the comment does not.

No Django here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

IDENTITY = re.compile(r"(?<!\d)(\d{6})[ .-]?(\d{5})(?!\d)")
PHONE = re.compile(r"(?<![\d+])(?:(?:\+|00)47[ .-]?)?[2-9]\d(?:[ .-]?\d){6}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_FIRST = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_SECOND = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


@dataclass(frozen=True)
class Flag:
    kind: str  # "identity_number", "phone", "email", "name"
    start: int
    end: int

    def as_json(self) -> dict[str, object]:
        return {"kind": self.kind, "start": self.start, "end": self.end}


def valid_identity_number(digits: str) -> bool:
    """Whether 11 digits are a national identity number (or D-number) by its check digits."""
    if len(digits) != 11 or not digits.isdigit():
        return False
    numbers = [int(d) for d in digits]
    first = _check(numbers[:9], _FIRST)
    second = _check([*numbers[:9], first], _SECOND) if first is not None else None
    return first == numbers[9] and second == numbers[10]


def _check(numbers: list[int], weights: tuple[int, ...]) -> int | None:
    remainder = 11 - sum(n * w for n, w in zip(numbers, weights, strict=True)) % 11
    if remainder == 11:
        return 0
    return None if remainder == 10 else remainder


def names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for every recipient's name, and their first and last name together.

    Single words are left out: a first name alone ("Kari") is too common to mean anyone.
    """
    wanted: set[str] = set()
    for name in names:
        words = name.split()
        if len(words) >= 2:
            wanted.add(" ".join(words))
            wanted.add(f"{words[0]} {words[-1]}")
    if not wanted:
        return None
    alternatives = sorted(wanted, key=len, reverse=True)
    body = "|".join(r"\s+".join(map(re.escape, name.split())) for name in alternatives)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


def find(text: str, names: re.Pattern[str] | None = None) -> list[Flag]:
    """Every place in ``text`` that looks like personal data, in order."""
    flags = [
        Flag("identity_number", m.start(), m.end())
        for m in IDENTITY.finditer(text)
        if valid_identity_number(m.group(1) + m.group(2))
    ]
    taken = [(flag.start, flag.end) for flag in flags]
    for match in PHONE.finditer(text):
        if not any(start < match.end() and match.start() < end for start, end in taken):
            flags.append(Flag("phone", match.start(), match.end()))
    flags += [Flag("email", m.start(), m.end()) for m in EMAIL.finditer(text)]
    if names is not None:
        flags += [Flag("name", m.start(), m.end()) for m in names.finditer(text)]
    return sorted(flags, key=lambda flag: (flag.start, flag.end))


def redact(text: str, flags: Iterable[Flag], *, mark: str = "[fjernet]") -> str:
    """``text`` with every flagged place replaced by ``mark`` (a proposal for the adviser)."""
    out, position = [], 0
    for flag in sorted(flags, key=lambda f: f.start):
        if flag.start < position:
            continue
        out += [text[position : flag.start], mark]
        position = flag.end
    out.append(text[position:])
    return "".join(out)
