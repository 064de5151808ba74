"""Run background tasks queued from the staff pages (imports, letters, results).

`make run` starts one next to the development server, and starts it again if it dies; in
production run it as its own systemd service (docs/operations.md). One worker is what a
machine needs; a second one started beside it (during an upgrade, say) leaves the tasks of a
live worker alone and takes back only those whose worker has not been heard from for a whole
lease (see medvirk/core/tasks.py).
"""

from __future__ import annotations

import signal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from medvirk.core import tasks


class Command(BaseCommand):
    help = "Run queued background tasks; keeps polling unless --once is given."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Run what is queued now, then stop."
        )
        parser.add_argument(
            "--poll", type=float, default=1.0, help="Seconds between looks at the queue."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stopping = False
        with translation.override(settings.LANGUAGE_CODE):
            if options["once"]:
                tasks.housekeeping()
                taken = tasks.take_back_abandoned()
                if taken:
                    self.stderr.write(f"Took back {taken} task(s) a stopped worker left running.")
                self.stdout.write(f"Ran {tasks.run_pending()} task(s).")
                return
            # Finish the task at hand on Ctrl-C or systemd's stop, then leave.
            signal.signal(signal.SIGTERM, self._stop)
            signal.signal(signal.SIGINT, self._stop)
            self.stdout.write(f"Background worker {tasks.process_name()} running; Ctrl-C stops it.")
            self.stdout.flush()
            tasks.work(poll=options["poll"], stopping=lambda: self.stopping, say=self._say)

    def _say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()

    def _stop(self, *_args: object) -> None:
        self.stopping = True
