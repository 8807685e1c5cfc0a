"""The web pages, mounted in the API's FastAPI app: the routes at the root, /static, and error pages in
HTML for every path outside the JSON API."""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.body_limit import BodyTooLarge
from api.clean_parameters import UNSTORABLE_TEXT, clean_form
from api.deps import VersionNotBuilt
from api.errors import validation_error_response
from occurisk_assets.defs.assistant.documents import plain_size
from occurisk_assets.versions import FAILED
from web import csrf
from web.render import PageError, error_page, page_for_error
from web.routes import (
    about,
    assistant_history,
    assistant_results,
    check_ad,
    compare,
    explore,
    home,
    occupation,
    profile_postings,
    resume_review,
)

STATIC = Path(__file__).parent / "static"
# Everything a page loads comes from this app: no CDN, font or script from elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
JSON_PREFIXES = ("/api/", "/docs", "/redoc", "/openapi.json")
PAGE_MODULES = (
    home,
    occupation,
    explore,
    compare,
    check_ad,
    about,
    assistant_history,
    assistant_results,
    profile_postings,
    resume_review,
)


def is_page(request: Request) -> bool:
    return not request.url.path.startswith(JSON_PREFIXES)


def too_large_page(request: Request, exc: BodyTooLarge) -> HTMLResponse:
    """The 413 page: the form's limit in plain units and what to do (never the CSRF page: web/csrf.py)."""
    return page_for_error(request).render(
        "too_large.html", status=413, limit=plain_size(exc.limit), data_version=None
    )


def mount(app: FastAPI) -> None:
    for module in PAGE_MODULES:
        # Every page route checks the form token of a POST (web/csrf.py); a GET passes straight through.
        # Then no form field may hold a NUL or an unpaired surrogate (api/clean_parameters.py).
        app.include_router(module.router, dependencies=[Depends(csrf.require_token), Depends(clean_form)])
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.exception_handler(PageError)
    async def page_error(request: Request, exc: PageError):
        return error_page(request, exc.status, exc.problems)

    @app.exception_handler(csrf.CsrfRejected)
    async def csrf_rejected(request: Request, exc: csrf.CsrfRejected):
        page = page_for_error(request)
        # A fresh token comes with the page, so reloading the form and sending it again works.
        page.csrf_token()
        return page.render("csrf_rejected.html", status=403, data_version=None)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if not is_page(request):
            return await http_exception_handler(request, exc)
        if exc.status_code == 404 and "version" in request.query_params:
            return error_page(request, 404, [("version", "version", request.query_params["version"][:20])])
        if isinstance(exc, VersionNotBuilt):
            problem = "version_failed" if exc.build_status == FAILED else "version_building"
            return error_page(request, 409, [("version", problem, exc.version)])
        return error_page(request, exc.status_code if exc.status_code in (400, 404) else 503)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        if not is_page(request):
            return validation_error_response(exc)
        problems = {
            # A character that cannot be stored is named, never shown.
            (name, UNSTORABLE_TEXT, "")
            if error["type"] == UNSTORABLE_TEXT
            else (name, name, request.query_params.get(name, "")[:20])
            for error in exc.errors()
            for name in [str(error["loc"][-1])]
        }
        return error_page(request, 400, sorted(problems))

    app.add_middleware(SecurityHeadersMiddleware)


class SecurityHeadersMiddleware:
    """Pure ASGI (no per-request task): pages and static files get the CSP and friends."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"].startswith(JSON_PREFIXES):
            await self.app(scope, receive, send)
            return
        extra = [
            (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
        ]
        if scope["path"].startswith("/static/"):
            extra.append((b"cache-control", b"public, max-age=3600"))

        async def with_headers(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)
