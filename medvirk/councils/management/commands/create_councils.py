"""Give every active unit without a user council its council (the rules: "Alle
virksomhetene skal ha et Brukerråd")."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from medvirk.councils import services
from medvirk.organisation.models import Unit
from medvirk.surveys.management.commands._common import SurveyCommand, municipality_from


class Command(SurveyCommand):
    help = "Create a user council for every active unit that has none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", help=_("The municipality's short name."))

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = municipality_from(options.get("municipality"))
        units = Unit.objects.filter(
            service_area__municipality=municipality, is_active=True, council__isnull=True
        ).order_by("name")
        made = services.councils_create_missing(actor=None, units=units)
        for council in made:
            self.stdout.write(str(council))
        self.stdout.write(self.style.SUCCESS(_("%(n)s councils created.") % {"n": len(made)}))
