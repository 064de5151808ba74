"""Background tasks: batch work started from a staff page and run by a worker process.

Imports, letters and results are long; they never run inside a web request. A staff page
queues a ``BackgroundTask`` and sends the user to its status page; ``manage.py run_tasks``
(started by ``make run``, a systemd unit in production) runs it and records its progress,
and its heartbeat, so that a task left by a worker that died is started again.
The same work runs from management commands with a progress bar, calling the same service.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BackgroundTask(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(
        "organisation.Municipality",
        on_delete=models.CASCADE,
        related_name="background_tasks",
        verbose_name=_("municipality"),
    )
    kind = models.CharField(_("kind"), max_length=80)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    # The worker running the task (host, process and a token of this start), which writes
    # ``heartbeat_at`` while it works; a task whose heartbeat is older than the lease was left
    # by a worker that died, and is taken back (see tasks.take_back_abandoned).
    worker = models.CharField(max_length=120, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)  # times a worker started it
    params = models.JSONField(default=dict, blank=True)
    # An uploaded file the task works on; emptied as soon as the task has run, because it
    # may hold personal data (a recipient list).
    payload = models.BinaryField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("background task")
        verbose_name_plural = _("background tasks")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="task_queue_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.id} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))
