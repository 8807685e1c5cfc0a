"""Overload protection: a per-client rate limit and a cap on the expensive requests answered at once.

Transcribing a recording, reading a résumé, drafting a letter, exporting a .pdf and coding a job ad each
cost up to seconds of CPU. A client past `heavy_requests_per_client_per_minute` of one kind is refused with
429, and past `heavy_jobs_per_kind` of one kind in flight the next request is refused with 503 — both at once,
with Retry-After (a JSON error for the API, a "try again in N seconds" page for the pages), before the body is
read, so nothing is half-saved and the cheap routes (/api/v1/health, the cached pages) keep answering.
The counts live in this worker, or in Redis shared by every replica (api/overload_limits.py).
"""

from __future__ import annotations

import hashlib
import re

from fastapi.responses import JSONResponse
from starlette.requests import Request

from api.metrics import HEAVY_IN_FLIGHT, OVERLOAD_REJECTIONS, RATE_LIMITED
from api.overload_limits import LocalLimits, SharedLimits
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
# The profile a person route acts for: people behind one address (a household, an office) get a bucket each.
_PROFILE = re.compile(r"/(?:my-work|profile|api/v1/profiles)/([^/]+)/")


def heavy_kind(method: str, path: str) -> str | None:
    return next((k for k, m, p in _PATTERNS if m == method and p.fullmatch(path)), None)


def client_key(scope: dict) -> str:
    """The rate limit's client: its address and the profile the path names, hashed — a profile id is a secret
    and neither is kept in the clear (in Redis, logs or labels)."""
    address = scope["client"][0] if scope.get("client") else ""
    profile = _PROFILE.match(scope["path"])
    raw = f"{address}\n{profile.group(1) if profile else ''}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def busy_response(scope: dict, kind: str, retry_after_s: int, rate_limited: bool = False):
    """503 (busy) or 429 (this client sent too many) with Retry-After: a page, or JSON naming the reason."""
    request = Request(scope)
    status = 429 if rate_limited else 503
    headers = {"retry-after": str(retry_after_s), "cache-control": "no-store"}
    if web_app.is_page(request):
        page = page_for_error(request)
        response = page.render(
            "busy.html", status=status, seconds=retry_after_s, rate_limited=rate_limited, data_version=None
        )
        response.headers.update(headers)
        return response
    if rate_limited:
        detail = (
            f"rate limited: too many {kind} requests from this client; try again in {retry_after_s} seconds"
        )
    else:
        detail = f"busy: too many {kind} requests are being answered; try again in {retry_after_s} seconds"
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


class OverloadMiddleware:
    """Pure ASGI: admits an expensive request if its client is under the rate and its kind under the cap."""

    def __init__(
        self,
        app,
        per_kind: int,
        retry_after_s: int,
        per_client_per_minute: int,
        redis_url: str | None = None,
        lease_s: int = 30,
    ):
        self.app = app
        self.local = LocalLimits(per_kind, per_client_per_minute, retry_after_s)
        self.redis_url, self.lease_s = redis_url, lease_s
        self.limits: LocalLimits | SharedLimits | None = None if redis_url else self.local

    async def __call__(self, scope, receive, send):
        kind = heavy_kind(scope["method"], scope["path"]) if scope["type"] == "http" else None
        if kind is None:
            await self.app(scope, receive, send)
            return
        if self.limits is None:  # made here: Redis's connections belong to this worker's event loop
            self.limits = SharedLimits(self.redis_url, self.local, self.lease_s)
        decision = await self.limits.admit(client_key(scope), kind)
        if decision.verdict != "admitted":
            limited = decision.verdict == "rate_limited"
            (RATE_LIMITED if limited else OVERLOAD_REJECTIONS).labels(kind).inc()
            await busy_response(scope, kind, decision.retry_after_s, limited)(scope, receive, send)
            return
        HEAVY_IN_FLIGHT.labels(kind).inc()
        try:
            await self.app(scope, receive, send)
        finally:
            try:
                await self.limits.release(kind, decision)
            finally:  # counted until its slot is free again (the answer may reach the client first)
                HEAVY_IN_FLIGHT.labels(kind).dec()
