"""Sending a meeting's papers in the background: the services queue it, the worker typesets
the PDF and mails it to each member (services/mail.py)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.utils.translation import gettext_lazy as _

from medvirk.core.models import BackgroundTask
from medvirk.core.tasks import Progress, register

from .models import Delivery
from .services.mail import send_papers


@register(
    Delivery.TASK, label=_("Send council papers"), result_template="councils/task_result.html"
)
def send_meeting_papers(task: BackgroundTask, progress: Progress) -> dict[str, Any]:
    params = task.params
    found = send_papers(params["meeting"], params["papers"], params.get("only"), progress)
    progress(len(found), len(found))
    statuses = Counter(delivery.status for delivery in found)
    return {"meeting": params["meeting"], "papers": params["papers"], **statuses}
