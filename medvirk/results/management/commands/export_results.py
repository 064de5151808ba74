"""Write a round's results to a file: a workbook, anonymised answers, a site or a report.

The files are the staff pages' downloads, made by the same functions (spreadsheet.py,
exports.py, reports.py, and the public pages' static_export.py for a site), and recorded in
the audit log in the same way.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from medvirk.organisation.services import audit_record
from medvirk.results import exports, reports, spreadsheet
from medvirk.results.models import Level, ResultCell, ResultSet
from medvirk.surveys.management.commands._common import RoundCommand
from medvirk.surveys.models import Audience, Round

FORMATS = ("xlsx", "csv", "html", "pdf")
SITE_MODULE = "medvirk.results.static_export"


def site_exporter() -> Callable[[ResultSet, Path], Any] | None:
    """The public pages' ``export_site(result_set, out_dir)``, where that module is installed."""
    try:
        module = importlib.import_module(SITE_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name != SITE_MODULE:
            raise  # the module is there but something it imports is not: a real error
        return None
    return getattr(module, "export_site", None)


class Command(RoundCommand):
    help = (
        "Write a round's results: --format xlsx (every table), csv (anonymised answers, one "
        "response a row), html (the public pages as files) or pdf (the area's report, or a "
        "unit's with --unit)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        # Checked in handle, not by argparse, so that a wrong value gets a message in the
        # municipality's language that says what to write instead.
        parser.add_argument("--format", required=True, help="xlsx, csv, html or pdf.")
        parser.add_argument(
            "--out", type=Path, required=True, help="The file to write (a folder for html)."
        )
        parser.add_argument(
            "--audience", default=Audience.USERS.value, help="users (default) or relatives."
        )
        parser.add_argument("--unit", metavar="CODE", help="With pdf: the unit's own report.")

    def handle(self, *args: Any, **options: Any) -> None:
        round_ = self.get_round(options["round"])
        result_set = ResultSet.objects.filter(round=round_).select_related("round").first()
        if result_set is None:
            raise CommandError(
                _("Round %(pk)s has no results yet. Compute them with compute_results %(pk)s.")
                % {"pk": round_.pk}
            )
        kind = options["format"].lower()
        if kind not in FORMATS:
            raise CommandError(
                _("Unknown format %(format)s. Choose xlsx, csv, html or pdf.")
                % {"format": options["format"]}
            )
        audience = self._audience(result_set, options["audience"])
        if options["unit"] and kind != "pdf":
            raise CommandError(_("--unit goes with --format pdf: a unit's report."))
        out: Path = options["out"]
        if not out.parent.is_dir():
            raise CommandError(_("The folder %(folder)s does not exist.") % {"folder": out.parent})
        if kind != "html" and out.suffix.lower() != f".{kind}":
            raise CommandError(
                _("Give the file a name ending in .%(format)s, e.g. resultater.%(format)s.")
                % {"format": kind}
            )
        if result_set.state == ResultSet.State.PRELIMINARY:
            self.stderr.write(
                _(
                    "Note: these results are preliminary; the round was open when they were "
                    "computed."
                )
            )

        if kind == "xlsx":
            out.write_bytes(spreadsheet.workbook(result_set))
            what = "xlsx"
        elif kind == "csv":
            out.write_bytes(exports.anonymised_csv(result_set, audience=audience))
            what = f"csv {audience}"
        elif kind == "html":
            self._site(result_set, out)
            what = "html"
        elif options["unit"]:
            cell = self._unit_cell(round_, result_set, audience, options["unit"])
            out.write_bytes(reports.unit_report(cell))
            what = f"report {cell.key}"
        else:
            out.write_bytes(reports.area_report(result_set, audience))
            what = f"report area {audience}"
        # As the staff pages' downloads record theirs (results/views.py).
        audit_record(
            actor=None,
            municipality=round_.municipality,
            action="results.export",
            target=round_,
            changes={"file": [None, what]},
        )
        self.stdout.write(_("Written: %(file)s") % {"file": out})

    def _audience(self, result_set: ResultSet, given: str) -> str:
        if given not in Audience.values:
            raise CommandError(
                _("Unknown respondents %(audience)s. Choose users or relatives.")
                % {"audience": given}
            )
        if given not in exports.audiences_of(result_set):
            raise CommandError(
                _("Round %(pk)s has no results for %(audience)s.")
                % {"pk": result_set.round_id, "audience": given}
            )
        return given

    def _site(self, result_set: ResultSet, out: Path) -> None:
        export_site = site_exporter()
        if export_site is None:
            raise CommandError(
                _(
                    "html export is provided by the public pages module, which is not "
                    "installed here yet. Choose xlsx, csv or pdf."
                )
            )
        if result_set.state != ResultSet.State.PUBLISHED:
            raise CommandError(
                _(
                    "The public pages show published results only. Publish them first with "
                    "publish_results %(pk)s."
                )
                % {"pk": result_set.round_id}
            )
        out.mkdir(exist_ok=True)
        export_site(result_set, out)

    def _unit_cell(
        self, round_: Round, result_set: ResultSet, audience: str, code: str
    ) -> ResultCell:
        unit = round_.units.filter(code=code).first()
        if unit is None:
            codes = ", ".join(round_.units.order_by("code").values_list("code", flat=True))
            raise CommandError(
                _("Round %(pk)s has no unit with the code %(code)s. Its units: %(codes)s.")
                % {"pk": round_.pk, "code": code, "codes": codes}
            )
        cell = (
            ResultCell.objects.filter(
                result_set=result_set, audience=audience, level=Level.UNIT, unit=unit
            )
            .select_related("result_set__round")
            .first()
        )
        if cell is None or not cell.is_shown:
            raise CommandError(
                _(
                    "%(unit)s has too few respondents to be shown, or is hidden so that a "
                    "smaller group cannot be worked out, so it gets no report of its own. "
                    "Its answers are counted in the figures of the larger groups it belongs to."
                )
                % {"unit": unit.name}
            )
        return cell
