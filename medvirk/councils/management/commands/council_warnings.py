"""What the councils should see to: vacancies, terms about to end, plans that break the
rules. For a daily job that mails the list to the quality advisers, or for a look."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.councils import selectors
from medvirk.councils.models import Council, MeetingPlan
from medvirk.surveys.management.commands._common import SurveyCommand, municipality_from


class Command(SurveyCommand):
    help = "List each council's warnings: vacancies, terms ending soon, the year's plan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", help=_("The municipality's short name."))
        parser.add_argument("--date", help=_("The day to look from, e.g. 01.11.2027."))

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = municipality_from(options.get("municipality"))
        day = timezone.localdate()
        if options.get("date"):
            try:
                day = datetime.strptime(options["date"], "%d.%m.%Y").date()  # noqa: DTZ007
            except ValueError:
                raise CommandError(
                    _("Cannot read the date %(text)s; write it as 01.11.2027.")
                    % {"text": options["date"]}
                ) from None
        settings = selectors.settings_for(municipality)
        councils = Council.objects.filter(
            unit__service_area__municipality=municipality
        ).select_related("unit")
        found = 0
        for council in councils.order_by("unit__name"):
            warnings = selectors.council_status(council, settings=settings, day=day).warnings
            plan = MeetingPlan.objects.filter(council=council, year=day.year).first()
            if plan is None:
                warnings.append(_("No meeting plan for %(year)s.") % {"year": day.year})
            else:
                warnings += selectors.plan_warnings(plan, settings=settings)
            if warnings:
                found += 1
                self.stdout.write(str(council))
                for warning in warnings:
                    self.stdout.write(f"  - {warning}")
        self.stdout.write(
            _("%(n)s of %(total)s councils have something to see to.")
            % {"n": found, "total": councils.count()}
        )
