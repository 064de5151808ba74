"""Run background tasks queued from the staff pages (imports, letters, results).

`make run` starts one next to the development server; in production run it as its own
systemd service (docs/operations.md). Several workers may run at once on PostgreSQL.
"""

from __future__ import annotations

import signal
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from medvirk.core import tasks

HOUSEKEEPING_EVERY = 300.0  # seconds


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
            interrupted = tasks.fail_interrupted()
            if interrupted:
                self.stderr.write(f"Marked {interrupted} interrupted task(s) as failed.")
            if options["once"]:
                tasks.housekeeping()
                self.stdout.write(f"Ran {tasks.run_pending()} task(s).")
                return
            # Finish the task at hand on Ctrl-C or systemd's stop, then leave.
            signal.signal(signal.SIGTERM, self._stop)
            signal.signal(signal.SIGINT, self._stop)
            self.stdout.write("Background worker running; Ctrl-C stops it.")
            next_housekeeping = 0.0
            while not self.stopping:
                if time.monotonic() >= next_housekeeping:
                    tasks.housekeeping()
                    next_housekeeping = time.monotonic() + HOUSEKEEPING_EVERY
                task = tasks.run_next()
                if task is None:
                    time.sleep(options["poll"])
                else:
                    self.stdout.write(f"{task.kind} {task.pk}: {task.status}")

    def _stop(self, *_args: object) -> None:
        self.stopping = True
