"""Keeping people's data out of caches and logs.

A profile's id is its only credential, and it travels in the URL. So every answer under a profile (JSON,
pages, downloads, errors) says `Cache-Control: no-store`, and the access log names the route's template
(`/api/v1/profiles/{profile_id}`), never the path asked for, nor its query string.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar

# Paths whose answers carry personal data or a profile's id (the API's and the pages').
PERSONAL_PREFIXES = ("/api/v1/profiles", "/api/v1/resumes", "/api/v1/transcribe", "/my-work", "/profile/")
UNMATCHED = "(no route)"

# The path of the request being answered as logs may show it, for the access log line uvicorn writes while
# sending the answer.
_loggable_path: ContextVar[str | None] = ContextVar("loggable_path", default=None)


def loggable_path(scope: dict) -> str:
    """What a log may say of the request's path: the template of the route that answered it, with the
    prefix its router was included under (`/api/v1`); for a request no route answered (a 404, a static
    file), its path, or UNMATCHED under a personal prefix."""
    path = scope["path"]
    route = scope.get("route")
    regex = getattr(route, "path_regex", None)
    if regex is not None:
        # An included router's route holds its path without the prefix: find where the match starts.
        for start in (i for i, char in enumerate(path) if char == "/"):
            if regex.match(path[start:]):
                return path[:start] + route.path
    return UNMATCHED if path.startswith(PERSONAL_PREFIXES) else path


class PrivacyMiddleware:
    """Pure ASGI: marks personal answers no-store and tells the access log which route answered."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        personal = scope["path"].startswith(PERSONAL_PREFIXES)

        async def marked(message):
            if message["type"] == "http.response.start":
                if personal:
                    headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"]
                    message = {**message, "headers": [*headers, (b"cache-control", b"no-store")]}
                # Routing is done by now (the router records its route in the shared scope).
                _loggable_path.set(loggable_path(scope))
            await send(message)

        await self.app(scope, receive, marked)


class RouteTemplateFilter(logging.Filter):
    """On uvicorn's access logger: the request line's path and query become loggable_path(). Answers from the
    response cache, which keeps no personal answer, never pass PrivacyMiddleware and keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        path = _loggable_path.get()
        if path is not None and isinstance(record.args, tuple) and len(record.args) == 5:
            client, method, _path, http_version, status = record.args
            record.args = (client, method, path, http_version, status)
        return True


ROUTE_TEMPLATE_FILTER = RouteTemplateFilter()


def log_route_templates() -> None:
    """Install the filter on uvicorn's access logger (once: the same filter is never added twice)."""
    logging.getLogger("uvicorn.access").addFilter(ROUTE_TEMPLATE_FILTER)
