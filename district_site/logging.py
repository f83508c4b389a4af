"""Structured logs: one JSON object per line on stdout, with the request's host and user id.

journald (systemd) or any log shipper reads stdout; JSON lines need no parsing rules. The
request is remembered in a context variable by `RequestContextMiddleware`, so a log call deep in
a service (which never sees the request) still carries the host and the user.
"""

from __future__ import annotations

import contextvars
import datetime
import json
import logging
import time

from django.utils.functional import empty

_current_request: contextvars.ContextVar = contextvars.ContextVar("request", default=None)

access_logger = logging.getLogger("district_site.request")

# Attributes every LogRecord has; anything else was passed with `extra=` and is kept.
_STANDARD_ATTRS = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def _user_id(request) -> int | None:
    """The user's id if authentication already ran and loaded it; never a query from logging."""
    user = request.__dict__.get("user")
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is empty:
        return None
    return getattr(wrapped, "pk", None)


def request_fields(request) -> dict:
    if request is None:
        return {}
    return {
        # The raw header, not get_host(): a refused Host must be logged, not raise again.
        "host": request.META.get("HTTP_HOST", ""),
        "user_id": _user_id(request),
        "method": request.method,
        "path": request.path,
    }


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None) or _current_request.get()
        for key, value in request_fields(request).items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key in _STANDARD_ATTRS or key.startswith("_") or key == "request":
                continue
            entry[key] = value if isinstance(value, str | int | float | bool | None) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class RequestContextMiddleware:
    """Remember the request for log records and write one access line per request.

    Place right after AuthenticationMiddleware. The access line reads `request.user` after the
    view, when the session is loaded anyway, so a logged-in request is logged with its user.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if user is not None:
                # Loads the user (one query at most, when a session cookie came and the view
                # did not already load it) so the access line carries the user id.
                user.is_authenticated  # noqa: B018
            access_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            _current_request.reset(token)


def logging_config(level: str = "INFO") -> dict:
    """The LOGGING setting of production: JSON lines on stdout."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_context": {"()": "district_site.logging.RequestContextFilter"}},
        "formatters": {"json": {"()": "district_site.logging.JsonFormatter"}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "json",
                "filters": ["request_context"],
            }
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            # Django's own handlers would also mail admins; stdout and Sentry are enough.
            "django": {"handlers": ["stdout"], "level": level, "propagate": False},
            "django.server": {"handlers": ["stdout"], "level": "WARNING", "propagate": False},
        },
    }
