"""What every log line carries, and what none may carry.

Every line written while a request is handled names the request (``request_id``); every
line the background worker writes while a task runs names the task (``task_id``). Both
come from context variables that ``RequestIdMiddleware`` and ``task_context`` set, read by
``ContextFilter`` on the handler, so a line from any library gets them too.

``RedactFilter`` takes query strings out of every line: the QR code on an invitation
letter opens ``/svar/?kode=…``, and a line with the code and the time would tie a person
to the moment they answered (docs/operations.md, "Logs"). It also drops the request
object Django's request logger attaches, whose text is the full address.

The format is plain text by default; ``MEDVIRK_LOG_FORMAT=json`` writes one JSON object a
line (python-json-logger) for a log collector.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

import pythonjsonlogger.json
from pythonjsonlogger.core import RESERVED_ATTRS

if TYPE_CHECKING:
    # Not at run time: the settings import this module before Django is set up.
    from django.http import HttpRequest, HttpResponse

request_id: ContextVar[str] = ContextVar("medvirk_request_id", default="")
task_id: ContextVar[str] = ContextVar("medvirk_task_id", default="")

HEADER = "X-Request-ID"
# An id from a proxy is taken only if it looks like one: no spaces, quotes or line breaks
# to forge a log line with, and short.
SANE_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")

# A path followed by a query string: the query is replaced, the path kept.
# A backslash ends it too, so that the escapes of a JSON line stay whole.
QUERY = re.compile(r"(/[^\s?\"'<>\\]*)\?[^\s\"'<>\\]*")
REDACTED_QUERY = r"\1?[redacted]"


def redact(text: str) -> str:
    """``text`` without the query strings of the addresses in it."""
    return QUERY.sub(REDACTED_QUERY, text) if "?" in text else text


def _redact_value(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


class ContextFilter(logging.Filter):
    """Puts the request's and the task's ids on each record (empty when there is none),
    and ``context``, the two as the plain format shows them."""

    def filter(self, record: logging.LogRecord) -> bool:
        request, task = request_id.get(), task_id.get()
        parts = [f"request={request}"] if request else []
        if task:
            parts.append(f"task={task}")
        record.__dict__.update(
            request_id=request, task_id=task, context=f" [{' '.join(parts)}]" if parts else ""
        )
        return True


class RedactFilter(logging.Filter):
    """Takes query strings out of the message and its arguments, and drops the request
    object Django's loggers attach (its text is the full address, query included).

    On the record, so that every handler after it gets it so; the formatters below take
    them out of tracebacks too, which are written only when the line is.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redact_value(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _redact_value(value) for key, value in record.args.items()}
        request = record.__dict__.pop("request", None)
        if request is not None:
            record.method = getattr(request, "method", None)
            record.path = getattr(request, "path", None)
        return True


class PlainFormatter(logging.Formatter):
    """logging's formatter; what it writes, the traceback included, has no query string."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class JsonFormatter(pythonjsonlogger.json.JsonFormatter):
    """python-json-logger's formatter; what it writes has no query string."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


@contextmanager
def task_context(pk: object) -> Iterator[None]:
    """Every log line written inside names the task ``pk``."""
    token = task_id.set(str(pk))
    try:
        yield
    finally:
        task_id.reset(token)


class RequestIdMiddleware:
    """Gives each request an id for its log lines and returns it as ``X-Request-ID``.

    The proxy's ``X-Request-ID`` is kept when it looks like an id (``SANE_ID``), so that
    the proxy's log and Medvirk's name a request the same way; otherwise a new uuid4.

    The id stays set after the middleware returns: Django logs a 4xx or 5xx response
    (``django.request``) only then, outside every middleware. ``forget_request`` clears
    it when the response is closed (``request_finished``, connected in ``CoreConfig``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(HEADER, "")
        current = incoming if SANE_ID.fullmatch(incoming) else uuid.uuid4().hex
        request_id.set(current)
        response = self.get_response(request)
        response[HEADER] = current
        return response


def forget_request(**kwargs: object) -> None:
    request_id.set("")


PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s%(context)s: %(message)s"
JSON_FIELDS = "%(levelname)s %(name)s %(message)s %(request_id)s %(task_id)s"
# Attributes the filters add that the JSON line has as its own fields, or not at all.
JSON_RESERVED = ["context"]


def logging_config(*, level: str, json: bool) -> dict[str, Any]:
    """The ``LOGGING`` setting: standard error, in plain text or JSON lines."""
    formatter: dict[str, Any] = (
        {
            "()": "medvirk.core.logs.JsonFormatter",
            "fmt": JSON_FIELDS,
            "rename_fields": {"levelname": "level", "name": "logger"},
            "reserved_attrs": [*RESERVED_ATTRS, *JSON_RESERVED],
            # ISO 8601 in UTC, with milliseconds: what log collectors read without help.
            "timestamp": "time",
        }
        if json
        else {"()": "medvirk.core.logs.PlainFormatter", "fmt": PLAIN_FORMAT}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "context": {"()": "medvirk.core.logs.ContextFilter"},
            "redact": {"()": "medvirk.core.logs.RedactFilter"},
        },
        "formatters": {"medvirk": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "medvirk",
                "filters": ["context", "redact"],
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # So do pikepdf (in every process that joins letters) and axes (in every process).
            "pikepdf": {"level": "WARNING"},
            "axes.apps": {"level": "WARNING"},
            # The development server's access log, through the same handler as the rest,
            # so its query strings are taken out too.
            "django.server": {"handlers": ["console"], "propagate": False},
        },
    }
