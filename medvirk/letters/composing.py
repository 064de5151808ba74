"""Letters composed from a round: the saved texts with each recipient's details filled in,
the letterhead, and the sample letter the text page previews.

Reads only: what this makes goes to the typesetter (render.py); printing and reissuing,
which write, are in services.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from medvirk.core.templatetags.medvirk import long_date
from medvirk.organisation.models import Unit
from medvirk.surveys.models import Audience, Recipient, Round, RoundUnit

from . import render, selectors
from . import text as letter_text
from .models import LetterText

# A code that cannot be anybody's (its check character does not fit): for previews and fit
# checks.
SAMPLE_CODE = "EKSE-MPEL-K0DE"
SAMPLE = {
    "name": "Kari-Anne Johannessen Haugland",
    "street": "Bjørnstjerne Bjørnsons gate 128 B",
    "postal_code": "3044",
    "place": "Drammen",
}


def public_address(round_: Round) -> str:
    """Where respondents answer, without the scheme: e.g. medvirk.drammen.kommune.no/svar."""
    host = round_.municipality.host or settings.MEDVIRK_PUBLIC_HOST
    return f"{host}/svar"


def _long_date(moment: datetime, language: str) -> str:
    with translation.override(language):
        return long_date(moment)


@dataclass
class Context:
    """What every letter of a print shares, worked out once."""

    round: Round
    kind: str
    texts: dict[tuple[str, str], LetterText]  # (audience, language) -> text
    contacts: dict[int, RoundUnit]
    labels: dict[str, dict[str, str]]
    shared: dict[str, dict[str, str]]  # language -> placeholder values common to all
    today: dict[str, str]
    # The wording filled in, by text and the values of the placeholders it uses: letters
    # that share these share one object, which is built, pickled and typeset once.
    filled: dict[tuple[object, ...], tuple[object, ...]] = field(default_factory=dict)
    placeholders: dict[int, list[str]] = field(default_factory=dict)  # by id(wording)


def context_for(round_: Round, kind: str) -> Context:
    texts: dict[tuple[str, str], LetterText] = {}
    for audience in selectors.audiences_of(round_):
        for language in (selectors.DEFAULT_LANGUAGE, *selectors.OPTIONAL_LANGUAGES):
            found = selectors.text_for(round_, kind=kind, audience=audience, language=language)
            if found is not None:
                texts[(audience, language)] = found
    labels, shared, today = {}, {}, {}
    last_day = round_.closes_at - timedelta(minutes=1)  # 00:00 on the 5th is the 4th's end
    for language in (selectors.DEFAULT_LANGUAGE, *selectors.OPTIONAL_LANGUAGES):
        with translation.override(language):
            labels[language] = {
                "code_label": _("Your personal code:"),
                "url_label": _("Answer at"),
                "qr_alt": _("QR code that opens the survey with your code filled in"),
            }
        shared[language] = {
            "nettadresse": public_address(round_),
            "apner": _long_date(round_.opens_at, language),
            "stenger": _long_date(last_day, language),
            "kommune": round_.municipality.name,
        }
        today[language] = _long_date(timezone.now(), language)
    contacts = {ru.unit_id: ru for ru in round_.round_units.select_related("unit")}
    return Context(round_, kind, texts, contacts, labels, shared, today)


def letter_for(context: Context, recipient: Recipient, code: str) -> render.Letter:
    audience = Audience.RELATIVES if recipient.is_relative else Audience.USERS
    language = recipient.language
    if (audience, language) not in context.texts:
        language = selectors.DEFAULT_LANGUAGE
    wording = context.texts[(audience, language)]
    contact = context.contacts.get(recipient.unit_id)
    spec = context.round.questionnaire_for(is_relative=recipient.is_relative).spec
    values = {
        **context.shared[language],
        "navn": recipient.name,
        "adresse": recipient.street_address,
        "postnummer": recipient.postal_code,
        "poststed": recipient.place,
        "kode": code,
        "kontaktperson": contact.contact_name if contact else "",
        "telefon": contact.contact_phone if contact else "",
        "telefontid": contact.contact_hours if contact else "",
        "virksomhet": contact.unit.name if contact else "",
        "antall_utsagn": str(len(spec.statements)),
        "underskriver": wording.signature_name,
    }
    scheme = "http" if settings.DEBUG else "https"
    title, blocks, closing, signature_name, signature_title = _filled(context, wording, values)
    return render.Letter(
        address=(
            recipient.name,
            recipient.street_address,
            f"{recipient.postal_code} {recipient.place.upper()}",
        ),
        date=context.today[language],
        title=title,
        blocks=blocks,
        code=code,
        url=values["nettadresse"],
        qr_url=f"{scheme}://{values['nettadresse']}/?kode={code}",
        closing=closing,
        signature_name=signature_name,
        signature_title=signature_title,
        postal_code=recipient.postal_code,
        **context.labels[language],
    )


def _filled(
    context: Context, wording: LetterText, values: Mapping[str, str]
) -> tuple[str, tuple[letter_text.Block, ...], str, str, str]:
    """The wording with its placeholders filled in, shared by the letters it is the same for."""
    parts = (
        wording.title,
        wording.body,
        wording.closing,
        wording.signature_name,
        wording.signature_title,
    )
    used = context.placeholders.get(id(wording))
    if used is None:
        found = {name for part in parts for name in letter_text.PLACEHOLDER.findall(part)}
        used = context.placeholders[id(wording)] = sorted(found)
    key = (id(wording), *(values.get(name) for name in used))
    if key not in context.filled:
        context.filled[key] = (
            letter_text.fill(wording.title, values),
            tuple(letter_text.blocks(wording.body, values)),
            letter_text.fill(wording.closing, values),
            letter_text.fill(wording.signature_name, values),
            letter_text.fill(wording.signature_title, values),
        )
    return context.filled[key]  # type: ignore[return-value]


def letterhead(round_: Round) -> render.Letterhead:
    municipality = round_.municipality
    logo = None
    suffix = ".png"
    if municipality.logo:
        with municipality.logo.open("rb") as handle:
            logo = handle.read()
        suffix = Path(municipality.logo.name).suffix.lower() or ".png"
    return render.Letterhead(
        name=municipality.name,
        sender=round_.service_area.name,
        title=round_.name,
        logo=logo,
        logo_suffix=suffix,
    )


PLACEHOLDER_HELP = {
    "navn": _lazy("the recipient's name"),
    "adresse": _lazy("the recipient's street address"),
    "postnummer": _lazy("the recipient's postal code"),
    "poststed": _lazy("the recipient's place"),
    "kode": _lazy("the personal code, e.g. 4K7M-Q2XD-9WRT"),
    "nettadresse": _lazy("the web address to answer at"),
    "apner": _lazy("the date the survey opens"),
    "stenger": _lazy("the date the survey closes"),
    "kontaktperson": _lazy("the unit's contact person"),
    "telefon": _lazy("the contact person's phone"),
    "telefontid": _lazy("when the contact person answers"),
    "virksomhet": _lazy("the name of the recipient's unit"),
    "kommune": _lazy("the municipality's name"),
    "antall_utsagn": _lazy("how many statements the questionnaire has"),
    "underskriver": _lazy("the name of the person who signs the letter"),
}


def _wordiest_unit(context: Context) -> Unit | None:
    """The round's unit whose name and contact take the most room in a letter."""
    if not context.contacts:
        return None
    longest = max(
        context.contacts.values(),
        key=lambda ru: (
            len(ru.unit.name)
            + len(ru.contact_name) * 2
            + len(ru.contact_phone)
            + len(ru.contact_hours),
            -ru.unit_id,
        ),
    )
    return longest.unit


def _sample_letter(wording: LetterText) -> tuple[render.Letter, render.Letterhead]:
    """One letter with this wording for a made-up recipient, with a code that is nobody's."""
    round_ = wording.round
    context = context_for(round_, wording.kind)
    context.texts[(wording.audience, wording.language)] = wording
    recipient = Recipient(
        round=round_,
        unit=_wordiest_unit(context),
        name=SAMPLE["name"],
        street_address=SAMPLE["street"],
        postal_code=SAMPLE["postal_code"],
        place=SAMPLE["place"],
        language=wording.language,
        is_relative=wording.audience == Audience.RELATIVES,
    )
    if recipient.unit is not None:
        recipient.unit_id = recipient.unit.pk
    return letter_for(context, recipient, SAMPLE_CODE), letterhead(round_)


def preview_pdf(wording: LetterText) -> bytes:
    letter, head = _sample_letter(wording)
    return render.render([letter], letterhead=head)


def preview_png(wording: LetterText) -> list[bytes]:
    letter, head = _sample_letter(wording)
    return render.render_png(letter, letterhead=head)
