"""What the surveys commands share: finding a round, reading times, a progress bar."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from tqdm import tqdm

from medvirk.organisation.models import Municipality
from medvirk.surveys import selectors
from medvirk.surveys.models import Round

TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M", "%d.%m.%Y %H.%M")


def parse_time(text: str) -> datetime:
    """A local (Europe/Oslo) time as typed on the command line."""
    for pattern in TIME_FORMATS:
        try:
            naive = datetime.strptime(text.strip(), pattern)  # noqa: DTZ007 (made aware below)
        except ValueError:
            continue
        return timezone.make_aware(naive)
    raise CommandError(
        _("Cannot read the time %(text)s; write it as 17.10.2026 08:00 or 2026-10-17 08:00.")
        % {"text": text}
    )


def municipality_from(slug: str | None) -> Municipality:
    if slug:
        found = Municipality.objects.filter(slug=slug).first()
        if found is None:
            raise CommandError(_("No municipality has the short name %(slug)s.") % {"slug": slug})
        return found
    first_two = list(Municipality.objects.all()[:2])
    if len(first_two) != 1:
        raise CommandError(_("Say which municipality with --municipality SHORT_NAME."))
    return first_two[0]


@contextmanager
def progress_bar(description: str, *, stream: Any) -> Iterator[Callable[[int, int], None]]:
    """A ``progress(done, total)`` callback drawing a bar on the command's stderr."""
    bar: tqdm[Any] | None = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, desc=description, unit=_("rows"), file=stream, leave=False)
        bar.total = total
        bar.update(done - bar.n)

    try:
        yield update
    finally:
        if bar is not None:
            bar.close()


class SurveyCommand(BaseCommand):
    """A command that speaks the municipality's language (bokmål unless configured)."""

    def execute(self, *args: Any, **options: Any) -> Any:
        with translation.override(settings.LANGUAGE_CODE):
            return super().execute(*args, **options)


class RoundCommand(SurveyCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("round", type=int, help=_("The round's number (see list_rounds)."))

    def get_round(self, pk: int) -> Round:
        try:
            return selectors.round_for_command(pk=pk)
        except Round.DoesNotExist:
            raise CommandError(
                _("There is no round %(pk)s. list_rounds shows the rounds.") % {"pk": pk}
            ) from None
