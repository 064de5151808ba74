"""``/metrics`` in Prometheus's text format (prometheus-client), for monitoring.

Two kinds of figures:

- Requests, counted by this process as it serves them (``MetricsMiddleware``): how many,
  by method, route name and status class, and how long they took. With several gunicorn
  workers each process has its own counts; with ``PROMETHEUS_MULTIPROC_DIR`` set (before
  the processes start) they write them to files there, and a scrape of any of them adds up
  all of them (prometheus-client's multiprocess mode).
- The background task queue, read from the database at scrape time (``TaskQueueCollector``),
  so that every process on every machine gives the same answer.

The page answers only with ``Authorization: Bearer <MEDVIRK_METRICS_TOKEN>``: 404 when no
token is configured, 401 when it is missing or wrong.
"""

from __future__ import annotations

import hmac
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, Min
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from .models import BackgroundTask

logger = logging.getLogger(__name__)

# This process's request figures; a registry of its own, so that nothing else a library
# registers globally ends up on the page.
REQUEST_REGISTRY = CollectorRegistry()
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"  # a request no route answered (a 404, a redirect before routing)

REQUESTS = Counter(
    "medvirk_http_requests",
    "HTTP requests answered, by method, route name and status class.",
    ["method", "route", "status"],
    registry=REQUEST_REGISTRY,
)
DURATION = Histogram(
    "medvirk_http_request_duration_seconds",
    "Time from the request reaching Django to its response, by method and route name.",
    ["method", "route"],
    registry=REQUEST_REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)


class MetricsMiddleware:
    """Counts and times every request. Labels come from the route's name, never the
    address, so that they stay few and carry no codes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - start
        method = request.method if request.method in METHODS else "other"
        match = request.resolver_match
        route = match.view_name if match is not None and match.view_name else UNMATCHED
        REQUESTS.labels(method, route, f"{response.status_code // 100}xx").inc()
        DURATION.labels(method, route).observe(elapsed)
        return response


class TaskQueueCollector(Collector):
    """Background tasks per status, and the age of the oldest queued one, from the
    database at scrape time."""

    def collect(self) -> Iterator[Metric]:
        try:
            counts = dict(
                BackgroundTask.objects.values_list("status").annotate(n=Count("pk")).order_by()
            )
            oldest = BackgroundTask.objects.filter(status=BackgroundTask.Status.QUEUED).aggregate(
                oldest=Min("created_at")
            )["oldest"]
        except DatabaseError as exc:
            # The request figures are still worth having; /healthz reports the database.
            logger.warning("metrics: could not read the task queue: %s", exc)
            return
        tasks = GaugeMetricFamily(
            "medvirk_background_tasks", "Background tasks by status.", labels=["status"]
        )
        for status in BackgroundTask.Status.values:
            tasks.add_metric([status], counts.get(status, 0))
        yield tasks
        age = (timezone.now() - oldest).total_seconds() if oldest is not None else 0.0
        yield GaugeMetricFamily(
            "medvirk_background_oldest_queued_seconds",
            "Age of the oldest queued background task in seconds; 0 when none is queued.",
            value=max(age, 0.0),
        )


def registry() -> CollectorRegistry:
    """What one scrape shows: the requests of this process (or of every process, in
    multiprocess mode) and the task queue."""
    scrape = CollectorRegistry(auto_describe=False)
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        MultiProcessCollector(scrape, path=directory)
    else:
        scrape.register(_Registered(REQUEST_REGISTRY))
    scrape.register(TaskQueueCollector())
    return scrape


class _Registered(Collector):
    def __init__(self, source: CollectorRegistry) -> None:
        self.source = source

    def collect(self) -> Iterable[Metric]:
        return self.source.collect()


def authorised(request: HttpRequest) -> bool | None:
    """None when no token is configured; otherwise whether the request carries it."""
    token: str = settings.MEDVIRK_METRICS_TOKEN
    if not token:
        return None
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.encode()
    )


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    allowed = authorised(request)
    if allowed is None:
        raise Http404
    if not allowed:
        response = HttpResponse("A bearer token is required.\n", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
