"""``tests.worker.gated``: a task that says when it starts and waits for the test's word.

It writes ``started-<attempt>`` (holding its process id) into the folder its parameters
name, then waits until a file ``gate`` appears there, and returns its process id and
attempt, so a test can tell which worker ran it, and how many times it was started.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy

from medvirk.core.models import BackgroundTask
from medvirk.core.tasks import Progress, register


@register("tests.worker.gated", label=gettext_lazy("Gated test task"), result_template="")
def gated(task: BackgroundTask, progress: Progress) -> dict[str, Any]:
    folder = Path(task.params["folder"])
    attempt = getattr(task, "attempts", None)
    (folder / f"started-{attempt}").write_text(str(os.getpid()))
    while not (folder / "gate").exists():
        time.sleep(0.05)
    return {"pid": os.getpid(), "attempt": attempt}
