"""The demo's letter texts: the standard texts, signed as the seed's letter is.

``extend_demo`` is called by ``manage.py load_demo`` after the survey demo; it saves the
bokmål invitation and reminder texts of the demo round (so that it can be printed at once)
unless they are there. The signatory is the seed's: Eva Milde, helse- og sosialdirektør.
"""

from __future__ import annotations

from django.utils import translation

from medvirk.organisation.models import Municipality
from medvirk.surveys.demo import ROUND_NAME
from medvirk.surveys.models import Round

from . import selectors, services
from .models import LetterKind, LetterText

SIGNATORY = {"signature_name": "Eva Milde", "signature_title": "helse- og sosialdirektør"}


def extend_demo(municipality: Municipality) -> list[str]:
    round_ = Round.objects.filter(municipality=municipality, name=ROUND_NAME).first()
    if round_ is None:
        return []
    for kind in LetterKind:
        for audience in selectors.audiences_of(round_):
            if LetterText.objects.filter(
                round=round_, kind=kind, audience=audience, language="nb"
            ).exists():
                continue
            with translation.override("nb"):
                default = selectors.default_text(
                    round_=round_, kind=kind, audience=audience, language="nb"
                )
                services.letter_text_save(
                    actor=None,
                    round_=round_,
                    kind=kind,
                    audience=audience,
                    language="nb",
                    fields={
                        "title": default.title,
                        "body": default.body,
                        "closing": default.closing,
                        **SIGNATORY,
                    },
                )
    return [
        f"Letters: print the round's letters at http://127.0.0.1:{{port}}/staff/letters/round/"
        f"{round_.pk}/ (as kvalitet), or: manage.py print_letters {round_.pk} --out brev.pdf"
    ]
