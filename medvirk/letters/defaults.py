"""The default wording of the invitation and reminder letters, before anyone edits it.

The bokmål invitation to users follows the municipality's own letter for its 2016 user survey
("Invitasjon til brukerundersøkelse for helse, sosial og omsorg (HSO) i Drammen kommune")
sentence by sentence, with the municipality's name, the web address, the dates and the
contact person replaced by placeholders (see ``text.PLACEHOLDERS``). The letter to relatives
and the reminders are written in the same voice; nynorsk and English are translations that use
the words the questionnaires already use ("påstand", "veit ikkje", "don't know").

Bodies are in the format of ``text.py``: a blank line between paragraphs, ``- `` for list
items and ``{qr}`` alone on a line for the box with the QR code, the personal code and the web
address. Paragraphs are short and the words plain: many recipients are old.

Pure Python, no Django: a round's letters use these until someone saves the round's own text
(``models.LetterText``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

KINDS = ("invitation", "reminder")
AUDIENCES = ("users", "relatives")
LANGUAGES = ("nb", "nn", "en")


@dataclass(frozen=True)
class DefaultText:
    title: str  # the letter's heading (subject line), may contain placeholders
    body: str  # the body in the text.py format, with {qr} on a line of its own
    closing: str  # the line before the signature, e.g. "Med vennlig hilsen"


# In the bodies below, this line becomes the number of statements and the list of themes.
_THEMES = "[temaer]"


@dataclass(frozen=True)
class _Language:
    closing: str
    themes_lead: str  # before the list of themes
    themes_none: str  # instead of the lead and the list when there are no themes
    titles: dict[tuple[str, str], str]  # (kind, audience) -> title
    bodies: dict[tuple[str, str], str]  # (kind, audience) -> body, with the _THEMES line


# ---------------------------------------------------------------------------------------------
# Bokmål

_NB_HOW_TO_ANSWER = """\
For å svare på undersøkelsen trenger du internett-tilgang, og du kan svare ved å bruke PC, \
nettbrett eller smarttelefon.

For å svare:
- Gå inn på {nettadresse} og tast inn koden nedenfor, eller
- skann QR-koden med kameraet på telefonen din.

{qr}

Koden er personlig og må ikke deles med andre.

Dersom du har spørsmål om undersøkelsen, ta kontakt med {kontaktperson} på telefon {telefon}. \
{kontaktperson} er tilgjengelig {telefontid}."""

_NB_SCALE_AND_CONFIDENTIALITY = """\
Vi ber deg vurdere hvor enig eller uenig du er i utsagnene på en skala fra 1 til 5. Dersom noen \
utsagn er vanskelige å besvare, er det mulig å krysse av for «vet ikke». Vi ønsker også å vite \
om de ulike forholdene vi spør om, er viktige for deg. Alle svar vil bli behandlet \
konfidensielt. Ingen ved det enkelte tjenestested vil få tilgang til enkeltbesvarelser."""

_NB_REMINDER = """\
Vi har ennå ikke fått svaret ditt. Tilbakemelding fra deg er viktig for oss, og det er ikke \
for sent å svare. Hvis du har svart i løpet av de siste dagene, kan du se bort fra dette \
brevet.

Du kan bruke den samme koden som før. Gå inn på {nettadresse} og tast inn koden nedenfor, \
eller skann QR-koden med kameraet på telefonen din. Hvis du har begynt å svare, kan du \
fortsette der du slapp.

{qr}

Koden er personlig og må ikke deles med andre.

Du kan svare til {stenger}.

Dersom du har spørsmål, ta kontakt med {kontaktperson} på telefon {telefon}. \
{kontaktperson} er tilgjengelig {telefontid}.

Takk for hjelpen!"""

_NB = _Language(
    closing="Med vennlig hilsen",
    themes_lead="Undersøkelsen består av {antall_utsagn} utsagn, som er knyttet til:",
    themes_none="Undersøkelsen består av {antall_utsagn} utsagn.",
    titles={
        ("invitation", "users"): (
            "Invitasjon til brukerundersøkelse for helse, sosial og omsorg (HSO) i {kommune}"
        ),
        ("invitation", "relatives"): (
            "Invitasjon til pårørendeundersøkelse for helse, sosial og omsorg (HSO) i {kommune}"
        ),
        ("reminder", "users"): (
            "Påminnelse om brukerundersøkelse for helse, sosial og omsorg (HSO) i {kommune}"
        ),
        ("reminder", "relatives"): (
            "Påminnelse om pårørendeundersøkelse for helse, sosial og omsorg (HSO) i {kommune}"
        ),
    },
    bodies={
        ("invitation", "users"): f"""\
Alle innbyggere som mottar tjenester fra helse-, sosial- og omsorgstjenestene (HSO) i \
{{kommune}}, inviteres til å svare.

HSO har som formål å skape gode dager. Å skape gode dager innebærer å bistå den enkelte \
positivt videre i eget liv. Tilbakemelding fra deg som bruker er særdeles viktig for oss. Vi \
ønsker å vite hvordan du opplever tjenestene du mottar. Dette vil vi bruke i utvikling og \
forbedring.

{_THEMES}

{_NB_SCALE_AND_CONFIDENTIALITY}

{_NB_HOW_TO_ANSWER}

Du kan svare på brukerundersøkelsen fra {{apner}} til {{stenger}}.

Takk for hjelpen!""",
        ("invitation", "relatives"): f"""\
Du får dette brevet fordi du er pårørende til en som mottar tjenester fra helse-, sosial- og \
omsorgstjenestene (HSO) i {{kommune}}. Vi inviterer deg til å svare på pårørendeundersøkelsen. \
HSO har som formål å skape gode dager. Å skape gode dager innebærer å bistå den enkelte \
positivt videre i eget liv. Tilbakemelding fra deg som pårørende er særdeles viktig for oss. Vi \
ønsker å vite hvordan du opplever tjenestene og samarbeidet med oss. Dette vil vi bruke i \
utvikling og forbedring.

{_THEMES}

{_NB_SCALE_AND_CONFIDENTIALITY}

{_NB_HOW_TO_ANSWER}

Du kan svare på pårørendeundersøkelsen fra {{apner}} til {{stenger}}.

Takk for hjelpen!""",
        ("reminder", "users"): f"""\
Du har tidligere fått en invitasjon til å svare på brukerundersøkelsen for helse-, sosial- \
og omsorgstjenestene (HSO) i {{kommune}}.

{_NB_REMINDER}""",
        ("reminder", "relatives"): f"""\
Du har tidligere fått en invitasjon til å svare på pårørendeundersøkelsen for helse-, \
sosial- og omsorgstjenestene (HSO) i {{kommune}}.

{_NB_REMINDER}""",
    },
)

# ---------------------------------------------------------------------------------------------
# Nynorsk

_NN_HOW_TO_ANSWER = """\
For å svare på undersøkinga treng du internett-tilgang, og du kan svare ved å bruke PC, \
nettbrett eller smarttelefon.

For å svare:
- Gå inn på {nettadresse} og skriv inn koden nedanfor, eller
- skann QR-koden med kameraet på telefonen din.

{qr}

Koden er personleg og må ikkje delast med andre.

Dersom du har spørsmål om undersøkinga, ta kontakt med {kontaktperson} på telefon \
{telefon}. {kontaktperson} er tilgjengeleg {telefontid}."""

_NN_SCALE_AND_CONFIDENTIALITY = """\
Vi ber deg vurdere kor samd eller usamd du er i påstandane på ein skala frå 1 til 5. Dersom \
nokre påstandar er vanskelege å svare på, kan du krysse av for «veit ikkje». Vi vil òg vite om \
dei ulike forholda vi spør om, er viktige for deg. Alle svar blir behandla konfidensielt. Ingen \
på den enkelte tenestestaden får tilgang til enkeltsvar."""

_NN_REMINDER = """\
Vi har enno ikkje fått svaret ditt. Tilbakemelding frå deg er viktig for oss, og det er ikkje \
for seint å svare. Dersom du har svart i løpet av dei siste dagane, kan du sjå bort frå dette \
brevet.

Du kan bruke den same koden som før. Gå inn på {nettadresse} og skriv inn koden nedanfor, \
eller skann QR-koden med kameraet på telefonen din. Dersom du har byrja å svare, kan du halde \
fram der du slapp.

{qr}

Koden er personleg og må ikkje delast med andre.

Du kan svare til {stenger}.

Dersom du har spørsmål, ta kontakt med {kontaktperson} på telefon {telefon}. \
{kontaktperson} er tilgjengeleg {telefontid}.

Takk for hjelpa!"""

_NN = _Language(
    closing="Med venleg helsing",
    themes_lead="Undersøkinga består av {antall_utsagn} påstandar, som er knytte til:",
    themes_none="Undersøkinga består av {antall_utsagn} påstandar.",
    titles={
        ("invitation", "users"): (
            "Invitasjon til brukarundersøking for helse, sosial og omsorg (HSO) i {kommune}"
        ),
        ("invitation", "relatives"): (
            "Invitasjon til pårørandeundersøking for helse, sosial og omsorg (HSO) i {kommune}"
        ),
        ("reminder", "users"): (
            "Påminning om brukarundersøking for helse, sosial og omsorg (HSO) i {kommune}"
        ),
        ("reminder", "relatives"): (
            "Påminning om pårørandeundersøking for helse, sosial og omsorg (HSO) i {kommune}"
        ),
    },
    bodies={
        ("invitation", "users"): f"""\
Alle innbyggjarar som får tenester frå helse-, sosial- og omsorgstenestene (HSO) i \
{{kommune}}, blir inviterte til å svare.

HSO har som føremål å skape gode dagar. Å skape gode dagar vil seie å hjelpe kvar enkelt vidare \
i eige liv på ein god måte. Tilbakemelding frå deg som brukar er særs viktig for oss. Vi \
ønskjer å vite korleis du opplever tenestene du får. Dette vil vi bruke til å utvikle og betre \
tenestene.

{_THEMES}

{_NN_SCALE_AND_CONFIDENTIALITY}

{_NN_HOW_TO_ANSWER}

Du kan svare på brukarundersøkinga frå {{apner}} til {{stenger}}.

Takk for hjelpa!""",
        ("invitation", "relatives"): f"""\
Du får dette brevet fordi du er pårørande til ein som får tenester frå helse-, sosial- og \
omsorgstenestene (HSO) i {{kommune}}. Vi inviterer deg til å svare på pårørandeundersøkinga. \
HSO har som føremål å skape gode dagar. Å skape gode dagar vil seie å hjelpe kvar enkelt vidare \
i eige liv på ein god måte. Tilbakemelding frå deg som pårørande er særs viktig for oss. Vi \
ønskjer å vite korleis du opplever tenestene og samarbeidet med oss. Dette vil vi bruke til å \
utvikle og betre tenestene.

{_THEMES}

{_NN_SCALE_AND_CONFIDENTIALITY}

{_NN_HOW_TO_ANSWER}

Du kan svare på pårørandeundersøkinga frå {{apner}} til {{stenger}}.

Takk for hjelpa!""",
        ("reminder", "users"): f"""\
Du har tidlegare fått ein invitasjon til å svare på brukarundersøkinga for helse-, sosial- \
og omsorgstenestene (HSO) i {{kommune}}.

{_NN_REMINDER}""",
        ("reminder", "relatives"): f"""\
Du har tidlegare fått ein invitasjon til å svare på pårørandeundersøkinga for helse-, \
sosial- og omsorgstenestene (HSO) i {{kommune}}.

{_NN_REMINDER}""",
    },
)

# ---------------------------------------------------------------------------------------------
# English

_EN_HOW_TO_ANSWER = """\
To answer the survey, you need internet access. You can use a computer, tablet or smartphone.

How to answer:
- Go to {nettadresse} and type the code below, or
- scan the QR code with your phone's camera.

{qr}

The code is personal. Do not share it with anyone.

If you have questions about the survey, please call {kontaktperson} on {telefon}. \
{kontaktperson} is available {telefontid}."""

_EN_SCALE_AND_CONFIDENTIALITY = """\
Please rate how much you agree or disagree with each statement on a scale from 1 to 5. If a \
statement is hard to answer, you can choose “don't know”. We would also like to know whether \
the things we ask about are important to you. All answers are treated confidentially. Nobody at \
the place where services are given will see individual answers."""

_EN_REMINDER = """\
We have not yet received your answers. Your feedback matters to us, and it is not too late to \
answer. If you have answered in the last few days, please ignore this letter.

You can use the same code as before. Go to {nettadresse} and type the code below, or scan the \
QR code with your phone's camera. If you have already started, you can continue where you \
left off.

{qr}

The code is personal. Do not share it with anyone.

You can answer until {stenger}.

If you have questions, please call {kontaktperson} on {telefon}. {kontaktperson} is \
available {telefontid}.

Thank you for your help!"""

_EN = _Language(
    closing="Kind regards",
    themes_lead="The survey has {antall_utsagn} statements about:",
    themes_none="The survey has {antall_utsagn} statements.",
    titles={
        ("invitation", "users"): (
            "Invitation to a user survey for health, social and care services (HSO) in {kommune}"
        ),
        ("invitation", "relatives"): (
            "Invitation to a survey for relatives about health, social and care services (HSO) "
            "in {kommune}"
        ),
        ("reminder", "users"): (
            "Reminder: user survey for health, social and care services (HSO) in {kommune}"
        ),
        ("reminder", "relatives"): (
            "Reminder: survey for relatives about health, social and care services (HSO) "
            "in {kommune}"
        ),
    },
    bodies={
        ("invitation", "users"): f"""\
Everyone who receives health, social or care services (HSO) from {{kommune}} is invited to \
answer this survey.

HSO aims to create good days. That means helping each person move forward in their own life. \
Your feedback as a user matters a great deal to us. We want to know how you find the services \
you receive. We will use your answers to develop and improve the services.

{_THEMES}

{_EN_SCALE_AND_CONFIDENTIALITY}

{_EN_HOW_TO_ANSWER}

You can answer the user survey from {{apner}} to {{stenger}}.

Thank you for your help!""",
        ("invitation", "relatives"): f"""\
You are receiving this letter because you are a relative of someone who receives health, \
social or care services (HSO) from {{kommune}}. We invite you to answer our survey for \
relatives.

HSO aims to create good days. That means helping each person move forward in their own life. \
Your feedback as a relative matters a great deal to us. We want to know how you find the \
services and working with us. We will use your answers to develop and improve the services.

{_THEMES}

{_EN_SCALE_AND_CONFIDENTIALITY}

{_EN_HOW_TO_ANSWER}

You can answer the survey for relatives from {{apner}} to {{stenger}}.

Thank you for your help!""",
        ("reminder", "users"): f"""\
We recently invited you to answer the user survey for health, social and care services \
(HSO) in {{kommune}}.

{_EN_REMINDER}""",
        ("reminder", "relatives"): f"""\
We recently invited you to answer the survey for relatives about health, social and \
care services (HSO) in {{kommune}}.

{_EN_REMINDER}""",
    },
)

_BY_LANGUAGE = {"nb": _NB, "nn": _NN, "en": _EN}


def _theme(title: str) -> str:
    """A section title as one list item: on one line, and with no braces (they are markup)."""
    return " ".join(title.split()).replace("{", "(").replace("}", ")")


def _themes_block(language: _Language, themes: Sequence[str]) -> str:
    items = [item for item in (_theme(title) for title in themes) if item]
    if not items:
        return language.themes_none
    return "\n".join([language.themes_lead, *(f"- {item}" for item in items)])


def default_text(*, kind: str, audience: str, language: str, themes: Sequence[str]) -> DefaultText:
    """The default letter of ``kind`` to ``audience`` in ``language``.

    ``themes`` are the questionnaire's section titles in that language, in order; an
    invitation lists them (a reminder does not). Pass only sections that hold statements.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown letter kind {kind!r}; expected one of {KINDS}")
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}; expected one of {AUDIENCES}")
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {LANGUAGES}")
    if isinstance(themes, str):
        raise TypeError("themes must be a sequence of titles, not one string")
    texts = _BY_LANGUAGE[language]
    body = texts.bodies[(kind, audience)].replace(_THEMES, _themes_block(texts, themes))
    return DefaultText(title=texts.titles[(kind, audience)], body=body, closing=texts.closing)
