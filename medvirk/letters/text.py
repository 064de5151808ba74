"""The text of a letter as quality advisers write it, and how it is checked and filled in.

A letter's body is plain text. A blank line starts a new paragraph; lines starting with
``- `` make a bulleted list; a line that is only ``{qr}`` is where the box with the QR code,
the personal code and the web address goes. Anywhere else, placeholders in braces are
replaced per recipient, e.g. ``Kjære {navn}``. Nothing else is markup: the text is handed to
the typesetter as data, never as code, so any character is safe.

No Django here: ``problems`` returns codes with values, and the Django layer turns them into
messages in the reader's language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

# Placeholder -> what it becomes (the edit page shows these, translated).
PLACEHOLDERS: dict[str, str] = {
    "navn": "the recipient's name",
    "adresse": "the recipient's street address",
    "postnummer": "the recipient's postal code",
    "poststed": "the recipient's place",
    "kode": "the personal code, e.g. 4K7M-Q2XD-9WRT",
    "nettadresse": "the web address to answer at, e.g. medvirk.drammen.kommune.no/svar",
    "apner": "the date the survey opens, e.g. mandag 17. oktober 2026",
    "stenger": "the date the survey closes, e.g. fredag 4. november 2026",
    "kontaktperson": "the unit's contact person",
    "telefon": "the contact person's phone",
    "telefontid": "when the contact person answers, e.g. hverdager 08.00–16.00",
    "virksomhet": "the name of the recipient's unit",
    "kommune": "the municipality's name",
    "antall_utsagn": "how many statements the questionnaire has",
    "underskriver": "the name of the person who signs the letter",
}
QR = "qr"  # a line of its own: the code box
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
STRAY_BRACE = re.compile(r"[{}]")


@dataclass(frozen=True)
class Problem:
    code: str  # "unknown_placeholder", "stray_brace", "qr_not_alone", "qr_missing", "empty"
    params: Mapping[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True)
class Block:
    """A paragraph (``lines`` joined by line breaks), a list (one item a line) or the QR box."""

    kind: str  # "paragraph" | "list" | "qr"
    lines: tuple[str, ...] = ()


def problems(body: str, *, require_qr: bool = True) -> list[Problem]:
    """Everything wrong with a body text, line by line; an empty list when it can be used."""
    found: list[Problem] = []
    if not body.strip():
        return [Problem("empty")]
    qr_seen = False
    for number, line in enumerate(body.splitlines(), start=1):
        stripped = line.strip()
        if stripped == "{" + QR + "}":
            qr_seen = True
            continue
        for name in PLACEHOLDER.findall(line):
            if name == QR:
                found.append(Problem("qr_not_alone", {"line": number}))
            elif name not in PLACEHOLDERS:
                found.append(Problem("unknown_placeholder", {"name": name, "line": number}))
        if STRAY_BRACE.search(PLACEHOLDER.sub("", line)):
            found.append(Problem("stray_brace", {"line": number}))
    if require_qr and not qr_seen:
        found.append(Problem("qr_missing"))
    return found


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with every known placeholder replaced (unknown ones are left as they are)."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def blocks(body: str, values: Mapping[str, str]) -> list[Block]:
    """The body as paragraphs, lists and the QR box, with the placeholders filled in."""
    result: list[Block] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            result.append(Block("paragraph", tuple(paragraph)))
            paragraph.clear()
        if items:
            result.append(Block("list", tuple(items)))
            items.clear()

    for line in body.splitlines():
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped == "{" + QR + "}":
            flush()
            result.append(Block("qr"))
        elif stripped.startswith("- "):
            if paragraph:
                flush()
            items.append(fill(stripped[2:].strip(), values))
        else:
            if items:
                flush()
            paragraph.append(fill(stripped, values))
    flush()
    return result
