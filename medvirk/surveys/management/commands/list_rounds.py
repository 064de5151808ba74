"""List survey rounds with their state and counts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.core.templatetags.medvirk import percent
from medvirk.surveys import selectors
from medvirk.surveys.models import Round

from ._common import SurveyCommand


class Command(SurveyCommand):
    help = "List survey rounds: number, state, open from/to, units, invited, responses."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", help="Only this municipality (short name).")

    def handle(self, *args: Any, **options: Any) -> None:
        rounds = Round.objects.select_related("municipality").order_by("-opens_at", "pk")
        if options["municipality"]:
            rounds = rounds.filter(municipality__slug=options["municipality"])
        listed = list(rounds)
        totals = selectors.totals_by_round(listed)
        header = (
            _("No."),
            _("Municipality"),
            _("Round"),
            _("State"),
            _("Opens"),
            _("Closes"),
            _("Units"),
            _("Invited"),
            _("Responses"),
            _("Rate"),
        )
        rows = [
            (
                str(r.pk),
                r.municipality.slug,
                r.name,
                str(r.phase.label),
                timezone.localtime(r.opens_at).strftime("%d.%m.%Y %H:%M"),
                timezone.localtime(r.closes_at).strftime("%d.%m.%Y %H:%M"),
                str(r.round_units.count()),
                str(totals[r.pk].invited),
                str(totals[r.pk].responses),
                percent(totals[r.pk].rate).replace("\xa0", " "),
            )
            for r in listed
        ]
        widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=True)]
        self.stdout.write("  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True)))
        for row in rows:
            self.stdout.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
        if not rows:
            self.stdout.write(_("No survey rounds yet."))
