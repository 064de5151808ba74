"""Prepare the letters benchmark's database: the demo, and rounds of 10,000 and 50,000
recipients with saved letter texts. Prints the two rounds' numbers.

Run by bench/letters.py in a subprocess with its own MEDVIRK_DATA_DIR (SQLite).
"""

from __future__ import annotations

import random
import sys
from datetime import timedelta

import django


def main() -> None:
    django.setup()
    from django.utils import timezone

    from medvirk.letters import demo as letters_demo
    from medvirk.letters import selectors as letter_selectors
    from medvirk.letters import services as letters
    from medvirk.organisation import demo
    from medvirk.organisation.models import Municipality
    from medvirk.surveys import services
    from medvirk.surveys.models import Questionnaire

    services.questionnaire_load_builtin()
    demo.load_demo(password="bench-only-password")  # noqa: S106 (a throwaway database)
    municipality = Municipality.objects.get(slug="drammen")
    area = municipality.service_areas.get(code="05")
    units = list(area.units.order_by("code"))
    rng = random.Random(10_000)  # noqa: S311 (invented recipients)
    streets = ["Konnerudgata", "Tollbugata", "Austadveien", "Bjørnstjerne Bjørnsons gate"]
    rounds = []
    for size in (10_000, 50_000):
        now = timezone.now()
        round_ = services.round_create(
            actor=None,
            municipality=municipality,
            service_area=area,
            name=f"Benchmark {size}",
            questionnaire=Questionnaire.objects.get(key="hso-brukerundersokelse-2016"),
            opens_at=now,
            closes_at=now + timedelta(days=21),
            units=units,
            contact={"name": "Kari Nordmann", "phone": "32 04 01 00", "hours": "08.00–16.00"},
        )
        rows = [
            f"Mottaker {i};{rng.choice(streets)} {rng.randint(1, 200)};"
            f"{rng.randint(3000, 3050)};Drammen;{units[i % len(units)].code};;nb;nei"
            for i in range(size)
        ]
        header = "Navn;Adresse;Postnr;Poststed;Virksomhet;Tjeneste;Språk;Pårørende"
        report = services.recipients_import(
            actor=None, round_=round_, data="\n".join([header, *rows]).encode()
        )
        if not report.applied:
            sys.exit(f"bench recipients refused: {report.parsed.problems[:3]}")
        for kind in ("invitation", "reminder"):
            default = letter_selectors.default_text(
                round_=round_, kind=kind, audience="users", language="nb"
            )
            letters.letter_text_save(
                actor=None,
                round_=round_,
                kind=kind,
                audience="users",
                language="nb",
                fields={
                    "title": default.title,
                    "body": default.body,
                    "closing": default.closing,
                    **letters_demo.SIGNATORY,
                },
            )
        rounds.append(round_.pk)
    print(*rounds)


if __name__ == "__main__":
    main()
