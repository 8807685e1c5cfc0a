"""The occurisk read API: FastAPI over the platform database, read-only, serving the active O*NET version
unless a request names another (`?version=`)."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from importlib.metadata import version as package_version

import psycopg
from fastapi import Depends, FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from api import speech
from api.assistant_db import make_assistant_pool
from api.body_limit import MULTIPART_ALLOWANCE, BodySizeLimitMiddleware, BodyTooLarge
from api.cache import ResponseCacheMiddleware
from api.clean_parameters import clean_parameters, document_clean_parameters
from api.config import ApiSettings, get_api_settings, onet_attribution
from api.deps import make_pool
from api.errors import UncaughtErrors
from api.metrics import MetricsMiddleware
from api.metrics import router as metrics_router
from api.overload import OverloadMiddleware
from api.pages import app as web_app
from api.pages.render import error_page, vary
from api.privacy import PrivacyMiddleware, log_route_templates, loggable_path
from api.request_log import RequestIdMiddleware
from api.routes import (
    careers,
    health,
    occupations,
    postings,
    profile_postings,
    profiles,
    rankings,
    resume_review,
    resumes,
    tasks,
    transcribe,
    version_diff,
    versions,
)
from occurisk_assets.assistant.documents import MAX_UPLOAD_BYTES, MB
from occurisk_assets.lib.db import api_database_url, database_url
from occurisk_assets.lib.settings import get_settings

log = logging.getLogger(__name__)

# The JSON API lives under this prefix; the web pages take the root.
API_PREFIX = "/api/v1"
# Any request body: the largest valid profile (30 jobs of 30 duties of 500 letters) is well below.
MAX_BODY_BYTES = 4 * MB

DESCRIPTION = f"""
How exposed each occupation, and each task inside it, is to replacement by AI.

Occupations are SOC codes (e.g. `15-1252`). Each O*NET task is scored 0-1 by several models; a model's
occupation score is the weighted mean of its task scores (weights from O*NET task ratings), and the
occupation's AI score is the weighted mean of the tasks' ensemble (cross-model mean) scores. Employment and
wages: BLS Occupational Employment and Wage Statistics; growth and openings: BLS Employment Projections.

Every endpoint serves the active O*NET version unless `?version=` names another loaded one (see `/api/v1/versions`).
Every response carries `meta.data_version` and `meta.attribution`.

{onet_attribution(get_settings().onet_default_version)}
"""


def upload_limits(settings: ApiSettings) -> list[tuple[str, int, int]]:
    """The routes that take uploads larger than MAX_BODY_BYTES allows (or smaller): (path pattern, limit
    named in the 413, bytes allowed with the form around the file)."""
    audio = settings.transcribe_max_bytes
    return [
        (f"{API_PREFIX}/transcribe", audio, audio + MULTIPART_ALLOWANCE),
        (f"{API_PREFIX}/resumes/parse", MAX_UPLOAD_BYTES, MAX_UPLOAD_BYTES + MULTIPART_ALLOWANCE),
        # The pages whose forms take a recording (and a résumé file): api/pages/templates/my_work/_speak.html.
        (
            r"/my-work(/[^/]+)?/resume",
            audio + MAX_UPLOAD_BYTES,
            audio + MAX_UPLOAD_BYTES + MULTIPART_ALLOWANCE,
        ),
        (r"/my-work/[^/]+/jobs/\d+/tasks", audio, audio + MULTIPART_ALLOWANCE),
    ]


def create_app(database: str | None = None, settings: ApiSettings | None = None) -> FastAPI:
    """The API and the web pages reading `database` (default: the read-only API role's URL,
    occurisk_assets.lib.db.api_database_url(), when the app starts)."""
    settings = settings or get_api_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # Opened without waiting: the API starts even while the database is down, and /api/v1/health says so.
        pool = make_pool(database or api_database_url(), settings)
        await pool.open(wait=False)
        app.state.pool = pool
        owner_url = database or database_url()
        assistant_pool = make_assistant_pool(owner_url, settings)
        await assistant_pool.open(wait=False)
        app.state.assistant_pool = assistant_pool
        app.state.speech = speech.SpeechProcess(settings.preload_speech_model)
        if settings.preload_speech_model:  # loaded before serving, not under a first recording
            try:
                await speech.ready(app.state.speech)
            except Exception as exc:  # the API serves without it; transcriptions will say what is wrong
                log.warning("speech model not preloaded: %s", exc)
        try:
            yield
        finally:
            app.state.speech.shutdown()
            await assistant_pool.close()
            await pool.close()

    app = FastAPI(
        title="occurisk API",
        version=package_version("occurisk"),
        description=DESCRIPTION,
        lifespan=lifespan,
        # Every route, API and pages: a NUL or an unpaired surrogate in a query or path parameter is a 422.
        dependencies=[Depends(clean_parameters)],
    )
    generate_openapi = app.openapi  # made once, on first use, then kept by FastAPI
    app.openapi = lambda: app.openapi_schema or document_clean_parameters(generate_openapi())
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET"], allow_headers=["*"]
        )
    # version_diff belongs to the release lifecycle (defs/lifecycle writes core.version_diff).
    for module in (
        health,
        versions,
        version_diff,
        occupations,
        careers,
        rankings,
        tasks,
        postings,
        profile_postings,
        profiles,
        resumes,
        resume_review,
        transcribe,
    ):
        app.include_router(module.router, prefix=API_PREFIX)
    app.include_router(metrics_router)

    async def body_too_large(request: Request, exc: BodyTooLarge):
        if web_app.is_page(request):
            return web_app.too_large_page(request, exc)
        return await http_exception_handler(request, exc)

    app.add_exception_handler(BodyTooLarge, body_too_large)
    app.add_middleware(
        BodySizeLimitMiddleware, default=MAX_BODY_BYTES, limits=upload_limits(settings), refuse=body_too_large
    )
    app.add_middleware(
        OverloadMiddleware,
        per_kind=settings.heavy_jobs_per_kind,
        retry_after_s=settings.busy_retry_after_s,
        per_client_per_minute=settings.heavy_requests_per_client_per_minute,
        redis_url=settings.redis_url,
        lease_s=settings.heavy_lease_s,
    )
    web_app.mount(app)  # after: its security headers wrap the 413 and busy pages too

    @app.exception_handler(psycopg.errors.UndefinedTable)
    async def database_not_built(request: Request, exc: psycopg.errors.UndefinedTable):
        if web_app.is_page(request):
            return error_page(request, 503)
        return JSONResponse(
            {
                "detail": f"the database is not built yet ({exc.diag.message_primary}); "
                "run `occurisk pipeline`"
            },
            status_code=503,
        )

    @app.exception_handler(psycopg.OperationalError)
    async def database_unavailable(request: Request, exc: psycopg.OperationalError):
        # Unreachable server, pool exhausted, or a query over the statement timeout.
        log.warning("database unavailable for %s: %s", loggable_path(request.scope), exc)
        if web_app.is_page(request):
            return error_page(request, 503)
        return JSONResponse(
            {"detail": "the database is unavailable or too slow right now; try again"}, status_code=503
        )

    app.add_middleware(PrivacyMiddleware)
    log_route_templates()
    # Outermost: a cached answer skips everything else (its headers were captured with it).
    app.add_middleware(ResponseCacheMiddleware, max_bytes=settings.response_cache_mb * 1024 * 1024, vary=vary)
    # Around everything: an uncaught exception is logged without its message (it may quote personal text).
    app.add_middleware(UncaughtErrors)
    app.add_middleware(MetricsMiddleware)  # sees every answer, the cache's and the 500s; logs each
    app.add_middleware(RequestIdMiddleware)  # outermost: every record of a request carries its id
    return app


app = create_app()
