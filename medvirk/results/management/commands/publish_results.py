"""Publish a round's results on the public pages, or withdraw them, as the staff pages do."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from medvirk.results import services
from medvirk.results.models import ResultSet
from medvirk.surveys.management.commands._common import RoundCommand


class Command(RoundCommand):
    help = "Publish a closed round's results on the public pages (or withdraw them)."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--withdraw",
            action="store_true",
            help="Take published results off the public pages again.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        round_ = self.get_round(options["round"])
        result_set = ResultSet.objects.filter(round=round_).first()
        if result_set is None:
            raise CommandError(
                _("Round %(pk)s has no results yet. Compute them with compute_results %(pk)s.")
                % {"pk": round_.pk}
            )
        if not options["withdraw"] and result_set.state == ResultSet.State.PRELIMINARY:
            # Said here rather than by the service: the command can say which commands to run.
            raise CommandError(
                _(
                    "The results of round %(pk)s are preliminary: they were computed while "
                    "the round was open. Close the round (close_round %(pk)s), compute its "
                    "results again (compute_results %(pk)s), then publish them."
                )
                % {"pk": round_.pk}
            )
        try:
            if options["withdraw"]:
                result_set = services.results_withdraw(actor=None, result_set=result_set)
            else:
                result_set = services.results_publish(actor=None, result_set=result_set)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            _("%(round)s: %(state)s.")
            % {"round": round_.name, "state": result_set.get_state_display()}
        )
