"""Error reports to Sentry, with nothing personal in them.

``start`` runs from the settings when ``SENTRY_DSN`` is set, in web processes and the
worker alike. A report keeps what finds the fault (the exception's type, message and
stack, the route, the request's id and method) and loses what could name a person or
open a survey: request bodies, query strings (the QR code's ``?kode=``), cookies, every
header but a few harmless ones, the signed-in user, local variables, and the data of
breadcrumbs. The SDK is told not to collect these (``send_default_pii``,
``data_collection``); ``scrub_event`` takes them out all the same, so that a change in the
SDK's defaults cannot let them through.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from . import logs

if TYPE_CHECKING:
    from sentry_sdk.types import Event, Hint

# Headers a report may keep; compared in lower case.
ALLOWED_HEADERS = frozenset(
    {
        "accept",
        "accept-language",
        "content-length",
        "content-type",
        "host",
        "x-forwarded-proto",
        logs.HEADER.lower(),
    }
)


def start(*, dsn: str, environment: str, release: str | None = None) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration()],
        # sentry-sdk 2.75 deprecates send_default_pii for data_collection, which wins when
        # both are given; both say the same, so that a downgrade or upgrade keeps it.
        send_default_pii=False,
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "allowlist", "terms": sorted(ALLOWED_HEADERS)}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "database_query_data": False,
            "queues": False,
            "stack_frame_variables": False,
        },
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub_event,
        before_breadcrumb=scrub_breadcrumb,
    )


def scrub_event(event: Event, hint: Hint) -> Event:
    """The report as it may leave: see the module's docstring."""
    _scrub(cast("dict[str, Any]", event))
    return event


def _scrub(event: dict[str, Any]) -> None:
    event.pop("user", None)
    event.pop("extra", None)
    request = event.get("request")
    if request is not None:
        event["request"] = {
            "method": request.get("method", ""),
            "url": logs.redact(str(request.get("url", ""))).split("?", 1)[0],
            "headers": {
                name: value
                for name, value in (request.get("headers") or {}).items()
                if name.lower() in ALLOWED_HEADERS
            },
        }
    for exception in (event.get("exception") or {}).get("values") or []:
        if isinstance(exception.get("value"), str):
            exception["value"] = logs.redact(exception["value"])
        _without_variables(exception.get("stacktrace"))
    for thread in (event.get("threads") or {}).get("values") or []:
        _without_variables(thread.get("stacktrace"))
    if isinstance(event.get("message"), str):
        event["message"] = logs.redact(event["message"])
    logentry = event.get("logentry")
    if logentry:
        logentry["message"] = logs.redact(str(logentry.get("message", "")))
        logentry["params"] = [
            logs.redact(p) if isinstance(p, str) else p for p in logentry.get("params") or []
        ]
    for crumb in (event.get("breadcrumbs") or {}).get("values") or []:
        scrub_breadcrumb(crumb, {})
    tags = dict(event.get("tags") or {})
    if request_id := logs.request_id.get():
        tags["request_id"] = request_id
    if task_id := logs.task_id.get():
        tags["task_id"] = task_id
    event["tags"] = tags


def scrub_breadcrumb(crumb: dict[str, Any], hint: Any) -> dict[str, Any]:
    """A breadcrumb keeps its category and message; its data (a query's parameters, a
    log record's fields) goes."""
    crumb.pop("data", None)
    if isinstance(crumb.get("message"), str):
        crumb["message"] = logs.redact(crumb["message"])
    return crumb


def _without_variables(stacktrace: dict[str, Any] | None) -> None:
    for frame in (stacktrace or {}).get("frames") or []:
        frame.pop("vars", None)
