"""Request-size limits, enforced before a body is read: a declared Content-Length over the route's limit is
refused at once (the body is never read), and a body without one is counted as it streams in and refused
the moment it passes the limit. Nothing downstream (form parser, JSON decoder, file reader) ever holds more
than the limit."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from occurisk_assets.assistant.documents import plain_size

# Room for the multipart boundaries, part headers and small fields around an uploaded file.
MULTIPART_ALLOWANCE = 64 * 1024


class BodyTooLarge(HTTPException):
    """A request body over its route's limit (→ 413 naming the limit in plain units)."""

    def __init__(self, limit: int):
        super().__init__(413, f"the request is larger than {plain_size(limit)}, the limit of this address")
        self.limit = limit


Refuse = Callable[[Request, BodyTooLarge], Awaitable[Response]]


class BodySizeLimitMiddleware:
    """Pure ASGI. `limits` maps path patterns to (limit, allowed bytes); the first match wins, else
    `default`. The 413 itself comes from `refuse` (a JSON error or a page, like the exception handler)."""

    def __init__(self, app, default: int, limits: list[tuple[str, int, int]], refuse: Refuse):
        self.app = app
        self.default = (default, default)
        self.limits = [(re.compile(pattern), limit, allowed) for pattern, limit, allowed in limits]
        self.refuse = refuse

    def limit_for(self, path: str) -> tuple[int, int]:
        for pattern, limit, allowed in self.limits:
            if pattern.fullmatch(path):
                return limit, allowed
        return self.default

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, allowed = self.limit_for(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > allowed:
            response = await self.refuse(Request(scope), BodyTooLarge(limit))
            await response(scope, receive, send)
            return
        received = 0

        async def counted_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > allowed:
                    # An HTTPException: FastAPI's body reader re-raises it, the exception handler answers 413.
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted_receive, send)
