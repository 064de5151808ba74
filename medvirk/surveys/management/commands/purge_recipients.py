"""Delete the names, addresses and codes of a closed round's recipients."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from medvirk.surveys import services

from ._common import RoundCommand


class Command(RoundCommand):
    help = (
        "After a round has closed: delete its recipients' names, addresses, codes and unsent "
        "drafts, keeping how many were invited per unit and service."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        round_ = self.get_round(options["round"])
        try:
            report = services.recipients_purge(actor=None, round_=round_)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        deleted = ngettext(
            "%(round)s: deleted %(n)s recipient with name, address and code.",
            "%(round)s: deleted %(n)s recipients with names, addresses and codes.",
            report.recipients,
        ) % {"round": round_.name, "n": report.recipients}
        drafts = ngettext(
            "Deleted %(n)s unsent answer draft.",
            "Deleted %(n)s unsent answer drafts.",
            report.drafts,
        ) % {"n": report.drafts}
        self.stdout.write(deleted)
        self.stdout.write(drafts)
        self.stdout.write(_("The number invited per unit and service is kept for response rates."))
