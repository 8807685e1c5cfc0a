"""Overload protection: a cap on the expensive requests each worker answers at once.

Transcribing a recording, reading a résumé, drafting a letter, exporting a .pdf and coding a job ad each
cost up to seconds of CPU. Past `heavy_jobs_per_kind` of one kind in flight, the next is refused at once
(503 with Retry-After: a JSON error for the API, a "busy, try again" page for the pages), before its body is
read — so nothing is half-saved — and the cheap routes (/api/v1/health, the cached pages) keep answering.
"""

from __future__ import annotations

import re

from fastapi.responses import JSONResponse
from starlette.requests import Request

from api.metrics import HEAVY_IN_FLIGHT, OVERLOAD_REJECTIONS
from api.pages import app as web_app
from api.pages.render import page_for_error

# (kind, method, path): the expensive routes of the API and the pages.
HEAVY_ROUTES = [
    ("transcribe", "POST", r"/api/v1/transcribe|/my-work/[^/]+/jobs/\d+/tasks"),
    ("resume", "POST", r"/api/v1/resumes/parse|/my-work(/[^/]+)?/resume|/profile/[^/]+/resume(/text)?"),
    ("export", "GET", r"/api/v1/profiles/[^/]+/resume\.[a-z]+"),
    ("letter", "POST", r"/api/v1/profiles/[^/]+/cover-letter|/profile/[^/]+/cover-letter"),
    ("check_ad", "POST", r"/api/v1/postings/code|/check-job-ad"),
]
_PATTERNS = [(kind, method, re.compile(path)) for kind, method, path in HEAVY_ROUTES]


def heavy_kind(method: str, path: str) -> str | None:
    return next((k for k, m, p in _PATTERNS if m == method and p.fullmatch(path)), None)


def busy_response(scope: dict, kind: str, retry_after_s: int):
    request = Request(scope)
    headers = {"retry-after": str(retry_after_s), "cache-control": "no-store"}
    if web_app.is_page(request):
        page = page_for_error(request)
        response = page.render("busy.html", status=503, seconds=retry_after_s, data_version=None)
        response.headers.update(headers)
        return response
    detail = f"busy: too many {kind} requests are being answered; try again in {retry_after_s} seconds"
    return JSONResponse({"detail": detail}, status_code=503, headers=headers)


class OverloadMiddleware:
    """Pure ASGI: counts each kind's requests in flight in this worker (one event loop: no lock needed)."""

    def __init__(self, app, per_kind: int, retry_after_s: int):
        self.app = app
        self.per_kind = per_kind
        self.retry_after_s = retry_after_s
        self.in_flight: dict[str, int] = {}

    async def __call__(self, scope, receive, send):
        kind = heavy_kind(scope["method"], scope["path"]) if scope["type"] == "http" else None
        if kind is None:
            await self.app(scope, receive, send)
            return
        if self.in_flight.get(kind, 0) >= self.per_kind:
            OVERLOAD_REJECTIONS.labels(kind).inc()
            await busy_response(scope, kind, self.retry_after_s)(scope, receive, send)
            return
        self.in_flight[kind] = self.in_flight.get(kind, 0) + 1
        HEAVY_IN_FLIGHT.labels(kind).inc()
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight[kind] -= 1
            HEAVY_IN_FLIGHT.labels(kind).dec()
