"""Errors that never carry what a person sent: a 422 names the parameter or field and says what is wrong,
without the value; an uncaught exception is logged by its type and traceback, without its message (a
database error's message quotes the row, a validation error's the body)."""

from __future__ import annotations

import logging
import traceback

from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.responses import PlainTextResponse

from api.services.errors import Conflict, Invalid, NotFound, ServiceError, Unavailable

log = logging.getLogger(__name__)


def validation_error_response(exc: RequestValidationError) -> JSONResponse:
    """FastAPI's 422 body less each error's `input` and `ctx` (both may hold the value sent)."""
    return JSONResponse(
        {"detail": [{k: error[k] for k in ("type", "loc", "msg") if k in error} for error in exc.errors()]},
        status_code=422,
    )


# The one place a service's domain error becomes an HTTP status.
STATUS = {NotFound: 404, Invalid: 422, Conflict: 409, Unavailable: 503}


def status_of(exc: ServiceError) -> int:
    return next((status for kind, status in STATUS.items() if isinstance(exc, kind)), 500)


def service_error_response(exc: ServiceError) -> JSONResponse:
    """A JSON route's answer to a domain error: its status and message, as FastAPI's HTTPException gives."""
    return JSONResponse({"detail": str(exc)}, status_code=status_of(exc))


class UncaughtErrors:
    """Pure ASGI: an exception no handler took becomes a plain 500, logged without its message (uvicorn
    would log the message with the traceback)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watching_start(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watching_start)
        except Exception as exc:
            route = getattr(scope.get("route"), "path", "(no route)")  # the template: no profile id
            log.error(
                "uncaught %s in %s %s\n%s",
                type(exc).__name__,
                scope["method"],
                route,
                "".join(traceback.format_tb(exc.__traceback__)),
            )
            if not started:
                await PlainTextResponse("Internal Server Error", status_code=500)(scope, receive, send)
