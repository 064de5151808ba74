"""The surveys module's background tasks, queued from the staff pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from medvirk.core.models import BackgroundTask
from medvirk.core.tasks import Progress, register

from . import reports, selectors, services


@register(
    "surveys.import_recipients",
    label=_("Import recipients"),
    result_template="surveys/task_import_result.html",
)
def import_recipients(task: BackgroundTask, progress: Progress) -> dict[str, Any]:
    round_ = selectors.round_for_command(pk=task.params["round"])
    report = services.recipients_import(
        actor=task.created_by,
        round_=round_,
        data=bytes(task.payload or b""),
        skip_invalid=task.params.get("skip_invalid", False),
        progress=progress,
    )
    return reports.import_report_json(report, round_=round_)
