"""The status of a background task that a key started."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from ninja import Router

from .. import selectors
from ..auth import request_key
from ..models import Scope
from ..schemas import TaskOut
from . import scoped
from .recipients import task_out

router = Router(tags=["tasks"])


@router.get(
    "/tasks/{task_id}",
    operation_id="task_get",
    summary="Read a background task's status",
    description="State (queued, running, done, failed), progress, and the result or the "
    "error. For a recipient import the result counts the imported rows and lists each "
    "problem by row, column and code; it never holds the rows themselves.",
    url_name="task_status",
    **scoped(Scope.RECIPIENTS_WRITE, {200: TaskOut}),
)
def task_status(request: HttpRequest, task_id: uuid.UUID) -> TaskOut:
    return task_out(selectors.task_of_key(key=request_key(request), pk=task_id))
