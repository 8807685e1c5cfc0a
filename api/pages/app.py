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
from api.errors import service_error_response, status_of, validation_error_response
from api.pages import csrf
from api.pages.render import PageError, error_page, page_for_error
from api.pages.routes import (
    about,
    check_ad,
    compare,
    explore,
    home,
    moved_urls,
    my_work,
    my_work_jobs,
    my_work_postings,
    my_work_results,
    my_work_resume,
    my_work_review,
    occupation,
)
from api.services.errors import ServiceError
from occurisk_assets.assistant.documents import plain_size
from occurisk_assets.versions import FAILED

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
    my_work_jobs,
    my_work_resume,
    my_work_results,
    my_work_postings,
    moved_urls,
    my_work_review,
    # Last: its /my-work/{profile_id} would otherwise take /my-work/resume, /my-work/deleted and the like.
    my_work,
)


def is_page(request: Request) -> bool:
    return not request.url.path.startswith(JSON_PREFIXES)


def too_large_page(request: Request, exc: BodyTooLarge) -> HTMLResponse:
    """The 413 page: the form's limit in plain units and what to do (never the CSRF page: api/pages/csrf.py)."""
    return page_for_error(request).render(
        "too_large.html", status=413, limit=plain_size(exc.limit), data_version=None
    )


def mount(app: FastAPI) -> None:
    for module in PAGE_MODULES:
        # Every page route checks the form token of a POST (api/pages/csrf.py); a GET passes straight through.
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

    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError):
        # A JSON route's answer is its status (api/errors.py); a page that did not explain it shows the
        # page of that kind, as for an HTTPException.
        if not is_page(request):
            return service_error_response(exc)
        status = status_of(exc)
        return error_page(request, status if status in (400, 404) else 503)

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
