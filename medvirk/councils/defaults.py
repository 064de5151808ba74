"""The council rules and themes a municipality starts with: the seed's own words.

From "Brukerrådsordningen i HSO" (shared/seeds/003, "BRUKERRÅD I virksomhetene Helse, sosial
og omsorg", May 2015), word for word: the purpose, "Brukerråd – hvem og hvordan",
"Organisering av arbeidet i Brukerrådet" and "Temaer som brukerrådet kan ta opp". The same
document says the councils came to act too much like the unit's board, more taken up with
budget and staffing than with developing the services. That is why the rules are settings
(``models.CouncilSettings``) that a municipality can change, not code.

Pure Python, no Django. The numbers in the rules (five representatives, two years, five
meetings) are the defaults of the settings' limits, which the services enforce.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_REPRESENTATIVES = 5
MAX_CHAIRS = 1
TERM_YEARS = 2
TERM_WARNING_MONTHS = 2
MAX_MEETINGS = 5
MAX_OPEN_ASSEMBLIES = 1
DIALOGUE_MEETINGS = 1
STAFF_MEMBERS = 2
NOTICE_DAYS = 7

THEMES = (
    "Virksomhetsplaner",
    "Brukerundersøkelser og andre vurderinger av betydning for kvalitet og utvikling",
    "Utviklingsarbeid/nye tiltak",
    "Disponering av ressurser (som lokaler, utstyr)",
    "Budsjett",
    "Arenaer for dialog og informasjon/sosiale tiltak",
    "Dagsaktuelle temaer",
)
# The theme the survey results belong to (used when results are put on an agenda).
SURVEY_THEME = THEMES[1]

RULES = """\
Hensikten med Brukerråd
Brukerrådet er til for å gi brukerne innflytelse på innhold og kvalitet på tjenestene i helse, \
sosial og omsorg. Med bruker forstås i denne sammenheng personer som mottar tjenester eller \
blir berørt av tjenestene indirekte – slik som pårørende.
Brukerråd i kommunale virksomheter er ikke å anse som profesjonelle brukerråd. Brukerrådet er \
en arena for dialog – en møteplass for å dele erfaringer, utvikle synspunkter, verdier og \
fagkunnskap slik at tjenestekvaliteten baseres på et bredest mulig grunnlag.
Brukerrådet er et rådgivende organ for virksomhetene. Brukerrådet skal behandle og gi råd i \
saker som vedrører den generelle kvaliteten i tjenesten. Unntatt er saker som gjelder \
enkeltpersoner. Brukerrådet fatter rådgivende vedtak.

Brukerråd – hvem og hvordan
- Alle virksomhetene skal ha et Brukerråd
- Brukerrådet har inntil fem brukerrepresentanter, inkludert leder, som velges for 2 år av gangen
- Representantene er primært brukere/representanter for brukere (pårørende/verger), dernest \
representanter for brukerorganisasjoner
- Valg av brukerrepresentanter skjer via «allmøte» hvor brukere/representanter for brukere \
(pårørende/verger) og evt. brukerorganisasjoner inviteres
- Deltagelse i Brukerrådet er frivillig, og avlønnes ikke
- Nye brukerrepresentanter tilbys opplæring om sin rolle og funksjon
- Virksomhetsleder og to ansatte fra brukerrettet arbeid møter i Brukerrådet

Organisering av arbeidet i Brukerrådet
- Virksomhetsleder har sekretærfunksjon for Brukerrådet. Denne har ansvar for, i samarbeid med \
leder av Brukerrådet, å utarbeide møteplan og saksliste, forberede saker og skrive referat
- Det avholdes inntil fem møter per år hvorav ett kan være et «stormøte» hvor alle brukere og \
pårørende inviteres
- Ett av møtene er det årlige dialogmøte med politikere

Temaer som brukerrådet kan ta opp
- Virksomhetsplaner
- Brukerundersøkelser og andre vurderinger av betydning for kvalitet og utvikling
- Utviklingsarbeid/nye tiltak
- Disponering av ressurser (som lokaler, utstyr)
- Budsjett
- Arenaer for dialog og informasjon/sosiale tiltak
- Dagsaktuelle temaer
- Brukerrådet behandler ikke enkeltsaker
"""


@dataclass(frozen=True)
class Section:
    """A part of the rules as they are shown: a heading, paragraphs and a bulleted list."""

    title: str
    paragraphs: tuple[str, ...]
    points: tuple[str, ...]


def sections(text: str) -> list[Section]:
    """The rules text cut into sections: a blank line between them, the first line the
    heading, lines starting with "- " the points, other lines paragraphs."""
    found: list[Section] = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        title, rest = lines[0], lines[1:]
        found.append(
            Section(
                title=title,
                paragraphs=tuple(line for line in rest if not line.startswith("- ")),
                points=tuple(line[2:].strip() for line in rest if line.startswith("- ")),
            )
        )
    return found


def theme_list(text: str) -> list[str]:
    """The themes of the settings' text, one a line, without blanks or repeats."""
    seen: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        theme = line.strip().removeprefix("- ").strip()
        if theme and theme not in seen:
            seen.append(theme)
    return seen
