"""Agenda items that may be about one person, found before the notice goes out.

A user council gives advice on the service in general; "Brukerrådet behandler ikke
enkeltsaker" (the seed's rules). An item (or its minutes) that names or describes an
individual case must be rewritten, or the secretary must confirm that it is not one, before
the notice is sent or the minutes approved. These are heuristics, so they only ask:

- personal data: a national identity number with valid check digits, a phone number, an
  e-mail address (``medvirk.results.screening`` finds them, as for survey comments);
- a relative of the writer ("min mor", "faren min", "my mother");
- one particular resident or patient ("pasienten", "beboer på rom 12", "rom nr. 4");
- a decision on one person's services ("innvilges", "avslått", "tildeles plass");
- a first and last name ("Kari Nordmann") in a text that also speaks of a case (a
  complaint, a diagnosis, a fall, a relative, a decision): names alone are common in council
  papers (the chair's, a guest's) and are not flagged.

A flag is a place in the text and a kind, never a copy of what it found. No Django here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from medvirk.results import screening as personal_data

_RELATIVES = (
    "mor|far|mamma|pappa|sønn|sonen|datter|dotter|barn|kone|mann|ektemann|ektefelle|samboer|"
    "bror|søster|syster|bestemor|bestefar|besteforelder|farmor|farfar|mormor|morfar|onkel|"
    "tante|svigermor|svigerfar|nabo"
)
RELATIVE = re.compile(
    rf"(?<!\w)(?:(?:min|mi|mitt|mine|vår|vårt|våre)\s+(?:{_RELATIVES})"
    r"|(?:moren|mora|faren|sønnen|sonen|dattera|datteren|dottera|kona|mannen|broren|søstera|"
    r"søsteren|systera)\s+(?:min|mi|mitt|vår)"
    r"|my\s+(?:mother|father|mum|mom|dad|son|daughter|wife|husband|partner|brother|sister|"
    r"grandmother|grandfather|neighbour))(?!\w)",
    re.IGNORECASE,
)
RESIDENT = re.compile(
    r"(?<!\w)(?:pasienten|beboeren|bebuaren|tjenestemottakeren|brukaren"
    r"|beboer\s+på\s+rom(?:\s*(?:nr\.?\s*)?\d+)?"
    r"|(?:på\s+)?rom\s*(?:nr\.?|nummer)\s*\d+|på\s+rom\s+\d+"
    r"|the\s+patient|the\s+resident(?:\s+in\s+room(?:\s*\d+)?)?|room\s+(?:no\.?\s*)?\d+)(?!\w)",
    re.IGNORECASE,
)
DECISION = re.compile(
    r"(?<!\w)(?:innvilges|innvilget|innvilga|avslås|avslått|avslag\s+på"
    r"|tildeles\s+\w+|tildelt\s+(?:plass|rom|tjenester?)|vedtak\s+om\s+(?:plass|tvang|bruk)"
    r"|is\s+granted|was\s+refused)(?!\w)",
    re.IGNORECASE,
)
# Words that say the text is about someone's case, which makes a name in it a flag.
CASE_CONTEXT = re.compile(
    r"(?<!\w)(?:klag\w*|avvik\w*|diagnos\w*|demen\w*|sykdom\w*|sjukdom\w*|medisin\w*|innlagt"
    r"|innlegg\w*|falt|fallet|skade\w*|vedtak\w*|søknad\w*|hendelse\w*|complain\w*|diagnos\w*)"
    r"(?!\w)",
    re.IGNORECASE,
)
_WORD = r"[A-ZÆØÅÄÖÜ][a-zæøåäöüéè]+(?:-[A-ZÆØÅÄÖÜ][a-zæøåäöüéè]+)?"
NAME = re.compile(rf"(?<![\w.])({_WORD})\s+({_WORD})(?![\w-])")
# Capitalised words that start sentences or name places and bodies, not people.
NOT_FIRST_NAMES = frozenset(
    """
    Det Den De Dei Denne Dette Disse Vi Jeg Eg Hun Ho Han Etter Før Når Om I På Til Fra Frå
    For Med Og Men Som Sak Saken Referat Godkjenning Orienteringer Brukerrådet Brukarrådet
    Brukerråd Virksomheten Verksemda Virksomhetsleder Helse Helsehuset Drammen Kommunen
    Kommune Leder Nav The A An In At On Of And But This That Council Item Minutes
    """.split()  # noqa: SIM905 (a word list reads best as words)
)


@dataclass(frozen=True)
class Flag:
    kind: str  # "identity_number", "phone", "email", "relative", "resident", "decision", "name"
    start: int
    end: int

    def as_json(self, field: str) -> dict[str, object]:
        return {"field": field, "kind": self.kind, "start": self.start, "end": self.end}


def find(text: str) -> list[Flag]:
    """Every place in ``text`` that may make it an individual case, in order."""
    flags = [Flag(f.kind, f.start, f.end) for f in personal_data.find(text)]
    for kind, pattern in (("relative", RELATIVE), ("resident", RESIDENT), ("decision", DECISION)):
        flags += [Flag(kind, m.start(), m.end()) for m in pattern.finditer(text)]
    if flags or CASE_CONTEXT.search(text):
        flags += _names(text)
    return sorted(flags, key=lambda flag: (flag.start, flag.end, flag.kind))


def _names(text: str) -> list[Flag]:
    found = []
    for match in NAME.finditer(text):
        first = match.group(1)
        if first in NOT_FIRST_NAMES or match.group(2) in NOT_FIRST_NAMES:
            continue
        found.append(Flag("name", match.start(), match.end()))
    return found


def screen(fields: Mapping[str, str]) -> list[dict[str, object]]:
    """The flags of several texts (an item's title, background, minutes…), with their field."""
    return [flag.as_json(name) for name, text in fields.items() for flag in find(text or "")]


def fragment(text: str, start: int, end: int) -> str:
    """What a flag points at, for the secretary who wrote the text."""
    return text[start:end]
