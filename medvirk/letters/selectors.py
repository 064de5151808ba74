"""Reads the letters' pages share."""

from __future__ import annotations

from medvirk.surveys.models import Recipient, Round


def recipients_to_reissue(round_: Round, query: str, *, limit: int) -> list[Recipient]:
    """Recipients who have not answered, whose name holds ``query`` or whose postal code is it.

    Names are matched in Python, case-folded, because SQLite's LIKE folds only ASCII: «åse»
    must find «Åse Ødegård». A round has at most some tens of thousands of recipients.
    """
    unused = Recipient.objects.filter(round=round_, used=False)
    wanted = query.strip().casefold()
    matching = sorted(
        (name, pk)
        for pk, name, postal_code in unused.values_list("pk", "name", "postal_code").iterator()
        if wanted in name.casefold() or wanted == postal_code
    )[:limit]
    found = unused.filter(pk__in=[pk for _name, pk in matching]).select_related("unit")
    return sorted(found, key=lambda recipient: (recipient.name, recipient.pk))
