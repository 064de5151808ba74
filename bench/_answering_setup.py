"""Prepare the answering benchmark's database: the demo municipality and an open round with
enough recipients; print their codes, one per line, for the load generator.

Run by bench/answering.py in a subprocess with DJANGO_SETTINGS_MODULE=bench.settings.
"""

from __future__ import annotations

import sys

import django


def main(count: int) -> None:
    django.setup()
    from medvirk.organisation import demo
    from medvirk.organisation.models import Municipality
    from medvirk.surveys import codes, services
    from medvirk.surveys.models import Recipient, Round

    services.questionnaire_load_builtin()
    demo.load_demo(password="bench-only-password")  # noqa: S106 (a throwaway database)
    municipality = Municipality.objects.get(slug="drammen")
    from medvirk.surveys import demo as survey_demo

    survey_demo.extend_demo(municipality)
    round_ = Round.objects.get(municipality=municipality, name=survey_demo.ROUND_NAME)
    units = list(round_.units.order_by("code"))
    rows = [
        f"Respondent {i};Gate {i};3045;Drammen;{units[i % len(units)].code};;nb;nei"
        for i in range(count)
    ]
    header = "Navn;Adresse;Postnr;Poststed;Virksomhet;Tjeneste;Språk;Pårørende"
    report = services.recipients_import(
        actor=None, round_=round_, data="\n".join([header, *rows]).encode()
    )
    if not report.applied:
        sys.exit(f"bench recipients refused: {report.parsed.problems[:3]}")
    for recipient in Recipient.objects.filter(round=round_, name__startswith="Respondent "):
        print(codes.display(services.code_of(recipient)))


if __name__ == "__main__":
    main(int(sys.argv[1]))
