"""Reads the letters' pages share: the texts of a round, and whom to reissue to."""

from __future__ import annotations

from django.utils import translation

from medvirk.surveys import services as surveys
from medvirk.surveys.models import Audience, Recipient, Round

from . import defaults
from .models import LetterText

DEFAULT_LANGUAGE = "nb"
OPTIONAL_LANGUAGES = ("nn", "en")


def _themes(round_: Round, audience: str, language: str) -> list[str]:
    spec = round_.questionnaire_for(is_relative=audience == Audience.RELATIVES).spec
    return [s.title.get(language) for s in spec.sections if s.statements]


def default_text(*, round_: Round, kind: str, audience: str, language: str) -> LetterText:
    """The text a round starts with (not saved), after the municipality's own letter."""
    found = defaults.default_text(
        kind=kind, audience=audience, language=language, themes=_themes(round_, audience, language)
    )
    return LetterText(
        round=round_,
        kind=kind,
        audience=audience,
        language=language,
        title=found.title,
        body=found.body,
        closing=found.closing,
        signature_name="",
        signature_title="",
    )


def texts_of(round_: Round) -> dict[tuple[str, str, str], LetterText]:
    return {(t.kind, t.audience, t.language): t for t in LetterText.objects.filter(round=round_)}


def text_for(round_: Round, *, kind: str, audience: str, language: str) -> LetterText | None:
    """The saved text, or for bokmål the default; None for another language not written."""
    saved = LetterText.objects.filter(
        round=round_, kind=kind, audience=audience, language=language
    ).first()
    if saved is None and language == DEFAULT_LANGUAGE:
        with translation.override(language):
            return default_text(round_=round_, kind=kind, audience=audience, language=language)
    return saved


def audiences_of(round_: Round) -> list[str]:
    if round_.relatives_questionnaire_id:
        return [Audience.USERS, Audience.RELATIVES]
    return [Audience.USERS]


def recipients_to_reissue(round_: Round, query: str, *, limit: int) -> list[Recipient]:
    """Recipients who have not answered, whose name holds ``query`` or whose postal code is it.

    Names are matched in Python, case-folded, because SQLite's LIKE folds only ASCII: «åse»
    must find «Åse Ødegård». A round has at most some tens of thousands of recipients.
    Whether one has answered is found from their code (``surveys.answered_test``).
    """
    every = Recipient.objects.filter(round=round_)
    wanted = query.strip().casefold()
    matching = sorted(
        (name, pk)
        for pk, name, postal_code in every.values_list("pk", "name", "postal_code").iterator()
        if wanted in name.casefold() or wanted == postal_code
    )
    answered = surveys.answered_test(round_)
    found: list[Recipient] = []
    for start in range(0, len(matching), 500):
        chunk = [pk for _name, pk in matching[start : start + 500]]
        batch = every.filter(pk__in=chunk).select_related("unit", "round")
        found += sorted((r for r in batch if not answered(r)), key=lambda r: (r.name, r.pk))
        if len(found) >= limit:
            break
    return found[:limit]
