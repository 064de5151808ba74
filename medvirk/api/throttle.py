"""The rate limit per API key: at most ``MEDVIRK_API_RATE_PER_MINUTE`` requests (120 unless
set in the environment) in each minute of the clock, counted in the database.

Django's cache is per process in Medvirk (locmem, see settings), so ninja's own throttles,
which count in the cache, would let each web process through the whole limit again. The
count is one row per key and minute, raised with a single UPDATE, so it is exact across
processes; the row of a new minute is made once, and the key's older rows go then. A
request over the limit gets 429 with ``Retry-After``: the seconds left in the minute.
"""

from __future__ import annotations

import threading
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from ninja.throttling import BaseThrottle

from .models import ApiKey, RequestWindow

WINDOW_SECONDS = 60


def rate_per_minute() -> int:
    return int(settings.MEDVIRK_API_RATE_PER_MINUTE)


def window_start(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0)


def count_request(key: ApiKey, started_at: datetime) -> int:
    """Count one request of ``key`` in the window; how many it has made in it now."""
    windows = RequestWindow.objects.filter(key=key, started_at=started_at)
    if not windows.update(count=F("count") + 1):
        try:
            with transaction.atomic():
                RequestWindow.objects.create(key=key, started_at=started_at, count=1)
            RequestWindow.objects.filter(key=key, started_at__lt=started_at).delete()
            return 1
        except IntegrityError:  # another process made it first
            windows.update(count=F("count") + 1)
    return windows.values_list("count", flat=True).first() or 0


class KeyThrottle(BaseThrottle):
    """Runs after authentication, so the request's key is known."""

    def __init__(self) -> None:
        self._local = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        key = getattr(request, "auth", None)
        if not isinstance(key, ApiKey):
            return True
        now = timezone.now()
        started_at = window_start(now)
        self._local.wait = WINDOW_SECONDS - (now - started_at).total_seconds()
        return count_request(key, started_at) <= rate_per_minute()

    def wait(self) -> float | None:
        wait: float | None = getattr(self._local, "wait", None)
        return wait
