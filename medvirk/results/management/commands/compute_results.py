"""Compute a round's results, as the staff pages' background task does."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from medvirk.results import services
from medvirk.surveys.management.commands._common import RoundCommand, progress_bar


class Command(RoundCommand):
    help = (
        "Compute a round's results for every group, with disclosure control, replacing any "
        "computed before. While the round is open they are preliminary."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        round_ = self.get_round(options["round"])
        try:
            with progress_bar(_("Results"), stream=self.stderr) as progress:
                result_set = services.results_compute(actor=None, round_=round_, progress=progress)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        groups = result_set.cells.count()
        suppressed = result_set.cells.exclude(suppressed="").count()
        self.stdout.write(_("Responses: %(n)s") % {"n": result_set.responses})
        self.stdout.write(
            _("Groups: %(groups)s, of them not shown: %(suppressed)s")
            % {"groups": groups, "suppressed": suppressed}
        )
        self.stdout.write(_("State: %(state)s") % {"state": result_set.get_state_display()})
