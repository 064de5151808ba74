"""Check the survey round keys in MEDVIRK_KEY_DIR against the database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from medvirk.surveys import keyring, selectors, services


class Command(BaseCommand):
    help = (
        "Check that every survey round whose recipients are not purged has its key file "
        "(MEDVIRK_KEY_DIR), and list key files no such round needs. Exits with an error when "
        "a key is missing or wrong: that round's codes do not work until it is restored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--destroy-leftovers",
            action="store_true",
            help="Destroy key files of purged or unknown rounds (never needed again).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = selectors.round_keys_report()
        for round_, problem in report.problems:
            self.stderr.write(
                f"round {round_.pk} ({round_.name}, {round_.get_state_display()}): {problem}"
            )
        for number in report.leftovers:
            if options["destroy_leftovers"]:
                services.round_key_destroy_leftover(round_pk=number)
                self.stdout.write(f"destroyed {keyring.path_for(number)} (no round needs it)")
            else:
                self.stdout.write(
                    f"{keyring.path_for(number)} belongs to no round that needs it "
                    "(--destroy-leftovers destroys it)"
                )
        self.stdout.write(f"{report.present} round keys in {keyring.key_dir()} are in order.")
        if report.problems:
            raise CommandError(f"{len(report.problems)} survey round keys are missing or wrong.")
