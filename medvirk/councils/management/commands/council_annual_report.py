"""Write the councils' annual reports as PDF: a service area's, with each council's, or one
council's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from medvirk.councils import annual, papers
from medvirk.councils.models import Council
from medvirk.surveys.management.commands._common import (
    SurveyCommand,
    municipality_from,
    progress_bar,
)


class Command(SurveyCommand):
    help = "Write annual reports of the user councils as PDF files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int, help=_("The year, e.g. 2026."))
        parser.add_argument("--municipality", help=_("The municipality's short name."))
        parser.add_argument("--area", default="05", help=_("The service area's code (05)."))
        parser.add_argument("--unit", help=_("Only this unit's council (its code, e.g. KON-BBS)."))
        parser.add_argument("--output", default=".", help=_("The folder to write to."))

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = municipality_from(options.get("municipality"))
        year: int = options["year"]
        folder = Path(options["output"])
        folder.mkdir(parents=True, exist_ok=True)
        area = municipality.service_areas.filter(code=options["area"]).first()
        if area is None:
            raise CommandError(
                _("The municipality has no service area %(code)s.") % {"code": options["area"]}
            )
        councils = Council.objects.filter(unit__service_area=area).select_related("unit")
        if options.get("unit"):
            councils = councils.filter(unit__code=options["unit"])
            if not councils.exists():
                raise CommandError(
                    _("No council of a unit with the code %(code)s.") % {"code": options["unit"]}
                )
        else:
            path = folder / f"arsrapport-brukerrad-{area.code}-{year}.pdf"
            path.write_bytes(papers.area_annual_pdf(annual.area_year(area, year)))
            self.stdout.write(str(path))
        listed = list(councils.order_by("unit__name"))
        with progress_bar(_("Annual reports"), stream=self.stderr) as progress:
            for done, council in enumerate(listed, start=1):
                path = folder / f"arsrapport-{council.unit.code.lower()}-{year}.pdf"
                path.write_bytes(papers.annual_pdf(annual.council_year(council, year)))
                self.stdout.write(str(path))
                progress(done, len(listed))
