"""Close a survey round, as the staff page does."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from medvirk.surveys import services

from ._common import RoundCommand


class Command(RoundCommand):
    help = "Close a survey round."

    def handle(self, *args: Any, **options: Any) -> None:
        round_ = self.get_round(options["round"])
        try:
            services.round_close(actor=None, round_=round_)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            _("%(round)s: %(phase)s.") % {"round": round_.name, "phase": round_.phase.label}
        )
