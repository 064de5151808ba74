"""Create a survey round in draft, as the staff page does."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from medvirk.organisation.models import Municipality, ServiceType
from medvirk.surveys import services
from medvirk.surveys.models import Questionnaire

from ._common import SurveyCommand, municipality_from, parse_time


class Command(SurveyCommand):
    help = "Create a survey round (in draft) for some or all units of a service area."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", help="Short name; needed if there are several.")
        parser.add_argument("--service-area", default="05", help="Service area code (05).")
        parser.add_argument("--name", required=True, help="E.g. 'Brukerundersøkelse 2026'.")
        parser.add_argument("--questionnaire", required=True, help="Questionnaire key.")
        parser.add_argument("--questionnaire-version", type=int, help="Default: the newest.")
        parser.add_argument("--relatives-questionnaire", help="Key of a relatives survey.")
        parser.add_argument("--opens", required=True, help="E.g. '17.10.2026 08:00'.")
        parser.add_argument("--closes", required=True, help="E.g. '04.11.2026 23:59'.")
        units = parser.add_mutually_exclusive_group(required=True)
        units.add_argument("--units", nargs="+", metavar="CODE", help="Unit codes.")
        units.add_argument("--all-units", action="store_true", help="Every active unit.")
        parser.add_argument("--services", nargs="+", metavar="TYPE", default=[])
        parser.add_argument("--contact-name", default="")
        parser.add_argument("--contact-phone", default="")
        parser.add_argument("--contact-hours", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = municipality_from(options["municipality"])
        area = municipality.service_areas.filter(code=options["service_area"]).first()
        if area is None:
            raise CommandError(
                _("The municipality has no service area %(code)s.")
                % {"code": options["service_area"]}
            )
        units = area.units.filter(is_active=True)
        if not options["all_units"]:
            codes = options["units"]
            units = units.filter(code__in=codes)
            unknown = sorted(set(codes) - set(units.values_list("code", flat=True)))
            if unknown:
                raise CommandError(
                    _("Unknown unit codes: %(codes)s.") % {"codes": ", ".join(unknown)}
                )
        service_types = list(
            ServiceType.objects.filter(
                Q(municipality__isnull=True) | Q(municipality=municipality),
                code__in=options["services"],
            )
        )
        if len(service_types) != len(set(options["services"])):
            raise CommandError(_("Some service type codes are unknown."))
        try:
            round_ = services.round_create(
                actor=None,
                municipality=municipality,
                service_area=area,
                name=options["name"],
                questionnaire=self._questionnaire(
                    municipality, options["questionnaire"], options["questionnaire_version"]
                ),
                relatives_questionnaire=self._questionnaire(
                    municipality, options["relatives_questionnaire"], None
                )
                if options["relatives_questionnaire"]
                else None,
                opens_at=parse_time(options["opens"]),
                closes_at=parse_time(options["closes"]),
                units=list(units),
                service_types=service_types,
                contact={
                    "name": options["contact_name"],
                    "phone": options["contact_phone"],
                    "hours": options["contact_hours"],
                },
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        covered = round_.round_units.count()
        self.stdout.write(
            ngettext(
                "Created round %(pk)s: %(name)s, a draft covering %(units)s unit.",
                "Created round %(pk)s: %(name)s, a draft covering %(units)s units.",
                covered,
            )
            % {"pk": round_.pk, "name": round_.name, "units": covered}
        )

    def _questionnaire(
        self, municipality: Municipality, key: str, version: int | None
    ) -> Questionnaire:
        found = Questionnaire.objects.filter(
            Q(municipality=municipality) | Q(municipality__isnull=True), key=key
        ).order_by("municipality_id", "-version")
        if version is not None:
            found = found.filter(version=version)
        questionnaire = found.first()
        if questionnaire is None:
            raise CommandError(
                _(
                    "No questionnaire %(key)s. Run load_questionnaires, or check the key on the "
                    "Questionnaires page."
                )
                % {"key": key}
            )
        return questionnaire
