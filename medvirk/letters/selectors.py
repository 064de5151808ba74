"""Reads the letters' pages share."""

from __future__ import annotations

from medvirk.surveys import services as surveys
from medvirk.surveys.models import Recipient, Round


def recipients_to_reissue(round_: Round, query: str, *, limit: int) -> list[Recipient]:
    """Recipients who have not answered, whose name holds ``query`` or whose postal code is it.

    Names are matched in Python, case-folded, because SQLite's LIKE folds only ASCII: «åse»
    must find «Åse Ødegård». A round has at most some tens of thousands of recipients.
    Whether one has answered is found from their code (``surveys.answered_test``).
    """
    every = Recipient.objects.filter(round=round_)
    wanted = query.strip().casefold()
    matching = sorted(
        (name, pk)
        for pk, name, postal_code in every.values_list("pk", "name", "postal_code").iterator()
        if wanted in name.casefold() or wanted == postal_code
    )
    answered = surveys.answered_test(round_)
    found: list[Recipient] = []
    for start in range(0, len(matching), 500):
        chunk = [pk for _name, pk in matching[start : start + 500]]
        batch = every.filter(pk__in=chunk).select_related("unit", "round")
        found += sorted((r for r in batch if not answered(r)), key=lambda r: (r.name, r.pk))
        if len(found) >= limit:
            break
    return found[:limit]
