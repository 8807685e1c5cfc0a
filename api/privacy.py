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

# The template of the request being answered, for the access log line uvicorn writes while sending it.
_route_template: ContextVar[str | None] = ContextVar("route_template", default=None)


def route_template(scope: dict) -> str:
    """The matched route's path template (a mount's with `/{path}`), or UNMATCHED."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if path is None:
        return UNMATCHED
    return path if hasattr(route, "endpoint") else f"{path}/{{path}}"


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
                _route_template.set(route_template(scope))
            await send(message)

        await self.app(scope, receive, marked)


class RouteTemplateFilter(logging.Filter):
    """On uvicorn's access logger: the request line's path becomes the route template. Requests that never
    reached the routes (answered by the response cache, which keeps no personal answer) keep their path."""

    def filter(self, record: logging.LogRecord) -> bool:
        template = _route_template.get()
        if template is not None and isinstance(record.args, tuple) and len(record.args) == 5:
            client, method, _path, http_version, status = record.args
            record.args = (client, method, template, http_version, status)
        return True


ROUTE_TEMPLATE_FILTER = RouteTemplateFilter()


def log_route_templates() -> None:
    """Install the filter on uvicorn's access logger (once: the same filter is never added twice)."""
    logging.getLogger("uvicorn.access").addFilter(ROUTE_TEMPLATE_FILTER)
