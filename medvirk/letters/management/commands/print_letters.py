"""Print a round's invitation or reminder letters to a PDF file (or numbered batches)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from medvirk.letters import services
from medvirk.letters.models import LetterKind
from medvirk.surveys.management.commands._common import RoundCommand, progress_bar


class Command(RoundCommand):
    help = (
        "Print a round's letters, sorted by postal code: one PDF, or with --batch-size "
        "numbered PDFs; a manifest for the print shop is written next to them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--out", type=Path, required=True, help="The PDF file to write.")
        parser.add_argument(
            "--reminders", action="store_true", help="Reminders, only to unused codes."
        )
        parser.add_argument("--units", nargs="+", metavar="CODE", default=[], help="Unit codes.")
        parser.add_argument("--batch-size", type=int, help="Letters per numbered file.")

    def handle(self, *args: Any, **options: Any) -> None:
        round_ = self.get_round(options["round"])
        out: Path = options["out"]
        if out.suffix.lower() != ".pdf":
            raise CommandError(_("Give the file a name ending in .pdf, e.g. brev.pdf."))
        if not out.parent.is_dir():
            raise CommandError(_("The folder %(folder)s does not exist.") % {"folder": out.parent})
        units = list(round_.units.filter(code__in=options["units"]))
        unknown = sorted(set(options["units"]) - {u.code for u in units})
        if unknown:
            raise CommandError(
                _("These units are not in the round: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        batch_size = options["batch_size"]

        def paths(number: int) -> Path:
            if batch_size:
                return out.with_name(f"{out.stem}-{number:03d}.pdf")
            return out

        kind = LetterKind.REMINDER if options["reminders"] else LetterKind.INVITATION
        try:
            with progress_bar(_("Letters"), stream=self.stderr) as progress:
                report = services.letters_print(
                    actor=None,
                    round_=round_,
                    kind=kind,
                    paths=paths,
                    unit_ids=[u.pk for u in units],
                    batch_size=batch_size,
                    progress=progress,
                )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        manifest = out.with_name(f"{out.stem}.manifest.csv")
        manifest.write_text(report.manifest_csv(), encoding="utf-8")
        for name, letters in report.files:
            self.stdout.write(
                ngettext("%(file)s: %(n)s letter", "%(file)s: %(n)s letters", letters)
                % {"file": out.with_name(name), "n": letters}
            )
        self.stdout.write(_("Manifest for the print shop: %(file)s") % {"file": manifest})
        if report.skipped:
            self.stdout.write(
                ngettext(
                    "Not printed, incomplete address: %(n)s recipient (see the round's page).",
                    "Not printed, incomplete address: %(n)s recipients (see the round's page).",
                    len(report.skipped),
                )
                % {"n": len(report.skipped)}
            )
