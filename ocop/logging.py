"""Structured JSON logs and a request id that follows a request into the Celery tasks it starts.

- ``RequestIdMiddleware`` takes the id from the ``X-Request-ID`` header (set by the reverse proxy) or makes a
  new one, keeps it for the duration of the request and returns it in the response's ``X-Request-ID`` header.
- ``RequestIdFilter`` puts the current id on every log record as ``record.request_id``.
- ``JsonFormatter`` writes one JSON object per line (time, level, logger, message, request_id, exception,
  and any ``extra=`` fields).
- Celery: a task published while an id is current carries it in the message header ``request_id``; the worker
  makes it current while the task runs, so the task's logs (and any task it starts) carry the same id.

Wired in ocop/settings.py (MIDDLEWARE and LOGGING). Importing this module connects the Celery signal handlers;
settings' LOGGING references it, so both web and worker processes import it during ``django.setup()``.
"""

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from celery.signals import before_task_publish, task_postrun, task_prerun

HEADER = "X-Request-ID"
_META_HEADER = "HTTP_" + HEADER.upper().replace("-", "_")
CELERY_HEADER = "request_id"
# Accept only ids a proxy would plausibly make; anything else is replaced (no log injection via the header).
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

_request_id: ContextVar[str | None] = ContextVar("ocop_request_id", default=None)

# Attributes every LogRecord has; anything else on a record came from ``extra=`` and is written out.
_RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


def current_request_id() -> str | None:
    return _request_id.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


def accepted_request_id(value: str | None) -> str:
    """The id to use for an incoming value: the value itself when well formed, else a new one."""
    if value and _VALID_ID.match(value):
        return value
    return new_request_id()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = accepted_request_id(request.META.get(_META_HEADER))
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or _request_id.get(),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


@before_task_publish.connect(dispatch_uid="ocop.logging.publish_request_id")
def _publish_request_id(sender=None, headers=None, **kwargs):
    request_id = _request_id.get()
    if request_id and headers is not None and not headers.get(CELERY_HEADER):
        headers[CELERY_HEADER] = request_id


_task_tokens: dict[str, object] = {}


@task_prerun.connect(dispatch_uid="ocop.logging.enter_task_request_id")
def _enter_task(task_id=None, task=None, **kwargs):
    request = getattr(task, "request", None)
    incoming = getattr(request, CELERY_HEADER, None) or (getattr(request, "headers", None) or {}).get(CELERY_HEADER)
    _task_tokens[task_id] = _request_id.set(accepted_request_id(incoming))


@task_postrun.connect(dispatch_uid="ocop.logging.leave_task_request_id")
def _leave_task(task_id=None, **kwargs):
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        _request_id.reset(token)
