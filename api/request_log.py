"""The API's log: one JSON object a line, each record of a request carrying its request id.

A request keeps the `X-Request-ID` it came with when that is a short token of safe characters (a proxy's or
a client's), else gets a new one; the answer says it in `X-Request-ID`, and every record logged while
answering it has it (a context variable, as the access log's route template in api/privacy.py). One line per
answer (api.requests, written by MetricsMiddleware) says its method, route template, status and duration:
never the path as asked (profile ids), its query or its body. `occurisk serve` gives uvicorn LOG_CONFIG.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from starlette.datastructures import MutableHeaders

SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
# The request line's fields, set as `extra` by log_request().
REQUEST_FIELDS = ("method", "route", "status", "duration_ms")

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
requests_log = logging.getLogger("api.requests")


def request_id_from(header: bytes | None) -> str:
    """The request's id: the header's when it is a safe short token, else a new one."""
    sent = header.decode("latin-1") if header else ""
    return sent if SAFE_REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex


class RequestIdMiddleware:
    """Pure ASGI, outermost: the request's id for every record logged while answering it, and in the answer."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(dict(scope["headers"]).get(b"x-request-id"))
        token = _request_id.set(request_id)

        async def identified(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                MutableHeaders(scope=message)["x-request-id"] = request_id
            await send(message)

        try:
            await self.app(scope, receive, identified)
        finally:
            _request_id.reset(token)


def log_request(method: str, route: str, status: int, duration_s: float) -> None:
    requests_log.info(
        "%s %s %d",
        method,
        route,
        status,
        extra={
            "method": method,
            "route": route,
            "status": status,
            "duration_ms": round(duration_s * 1000, 1),
        },
    )


class JsonFormatter(logging.Formatter):
    """A record as one JSON line: time, level, logger, message, the request id in a request, the request
    line's fields, and the traceback of an exception logged with one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = _request_id.get()
        if request_id:
            entry["request_id"] = request_id
        entry.update({name: getattr(record, name) for name in REQUEST_FIELDS if hasattr(record, name)})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


# uvicorn's log_config: every logger through one JSON handler on stderr; the API's and uvicorn's own records
# from INFO, the libraries' from WARNING. uvicorn's access log is off (api.requests says more, and no client
# address).
LOG_CONFIG = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": JsonFormatter}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    },
    "loggers": {"api": {"level": "INFO"}, "uvicorn": {"level": "INFO"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
}
