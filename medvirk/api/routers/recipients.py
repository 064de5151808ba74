"""Importing a round's recipients: the staff page's import, started by an integration."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from medvirk.core.models import BackgroundTask
from medvirk.surveys import selectors

from .. import services
from ..auth import request_key
from ..models import Scope
from ..schemas import ErrorOut, TaskOut
from . import Id, scoped

router = Router(tags=["recipients"])

FILE_BODY = {
    "required": True,
    "description": "The recipient list as the staff page takes it: CSV (semicolon, comma or "
    "tab; UTF-8, Windows-1252 or UTF-16) or Excel (.xlsx), with a heading row. At most 20 MB.",
    "content": {
        media: {"schema": {"type": "string", "format": "binary"}}
        for media in (
            "text/csv",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/octet-stream",
        )
    },
}


def task_out(task: BackgroundTask) -> TaskOut:
    return TaskOut(
        id=task.pk,
        kind=task.kind,
        status=task.status,
        progress_done=task.progress_done,
        progress_total=task.progress_total,
        created_at=task.created_at,
        started_at=task.started_at,
        finished_at=task.finished_at,
        result=task.result,
        error=task.error,
        status_url=reverse("api-v1:task_status", args=[task.pk]),
    )


@router.post(
    "/rounds/{round_id}/recipients",
    summary="Import recipients into a round",
    description="Queues the same background import as the staff page, with the same checks: "
    "with any invalid row nothing is imported, unless skip_invalid is set. Answers 202 with "
    "the task; read its status_url until it has finished. A refusal before the import (a "
    "closed round, an empty or too large file) is 400.",
    operation_id="recipients_import",
    **scoped(
        Scope.RECIPIENTS_WRITE,
        {202: TaskOut, 400: ErrorOut, 413: ErrorOut},
        openapi={"requestBody": FILE_BODY},
    ),
)
def recipients_import(
    request: HttpRequest, round_id: Id, skip_invalid: Query[bool] = False
) -> Status[ErrorOut | TaskOut]:
    key = request_key(request)
    round_ = selectors.rounds_of(municipality=key.municipality).filter(pk=round_id).first()
    if round_ is None:
        raise Http404
    # Read past the limit by one byte only, so that a larger body is refused unread.
    data = request.read(services.MAX_IMPORT_BYTES + 1)
    if len(data) > services.MAX_IMPORT_BYTES:
        too_large = _("The file is larger than 20 MB. Split it into smaller files.")
        return Status(413, ErrorOut(detail=too_large))
    task = services.recipients_import_queue(
        key=key, round_=round_, data=data, skip_invalid=skip_invalid
    )
    return Status(202, task_out(task))
