"""Import a recipient list (CSV or XLSX) into a round, with a data-quality report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from medvirk.surveys import reports, services

from ._common import RoundCommand, progress_bar


class Command(RoundCommand):
    help = (
        "Import recipients from a CSV or XLSX file. Any invalid row stops the import unless "
        "--skip-invalid is given. See docs/recipient-import.md for the columns."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid rows and list the invalid ones.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        round_ = self.get_round(options["round"])
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc.strerror}
            ) from None
        try:
            with progress_bar(_("Checking"), stream=self.stderr) as progress:
                report = services.recipients_import(
                    actor=None,
                    round_=round_,
                    data=data,
                    skip_invalid=options["skip_invalid"],
                    progress=progress,
                )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        for line in reports.import_report_lines(report):
            self.stdout.write(line)
        if not report.applied:
            raise CommandError(reports.import_outcome(report))
        self.stdout.write(self.style.SUCCESS(reports.import_outcome(report)))
