"""Prometheus metrics of the API and the pages, served at /metrics.

`occurisk serve` runs several uvicorn workers, so the metrics are kept in prometheus-client's multiprocess
mode (files in PROMETHEUS_MULTIPROC_DIR, set and emptied by api/commands.py before any worker starts) and
/metrics adds up every worker's. Without that variable (an app made in a test) they live in this process.

Labels are closed sets only: a route's TEMPLATE (`/api/v1/profiles/{profile_id}`, api/privacy.py), a method,
a status class, a kind of job. Never a path as asked, an id, a query string or anything a person wrote.
"""

from __future__ import annotations

import os
import time

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from starlette.routing import Mount

from api.cache import UNCACHED_PREFIXES
from api.platform_metrics import PlatformCollector
from api.privacy import UNMATCHED, loggable_path
from api.request_log import log_request

METRICS_PATH = "/metrics"

HTTP_REQUESTS = Counter(
    "occurisk_http_requests", "Requests answered, by route template", ["route", "method", "status_class"]
)
# The SLO is p95 < 2 s: buckets close around it.
HTTP_DURATION = Histogram(
    "occurisk_http_request_duration_seconds",
    "Time to answer a request, by route template",
    ["route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 30.0),
)
RESPONSE_CACHE = Counter(
    "occurisk_response_cache_requests",
    "GET requests the response cache could serve: hit, miss, or bypass (the cache was off)",
    ["result"],
)
POOL_WAIT = Histogram(
    "occurisk_db_pool_wait_seconds",
    "Time a request waited for a pooled database connection",
    buckets=(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 2.5, 5.0, 10.0),
)
HEAVY_IN_FLIGHT = Gauge(
    "occurisk_heavy_jobs_in_flight",
    "Expensive requests being answered now (api/overload.py), by kind",
    ["kind"],
    multiprocess_mode="livesum",
)
OVERLOAD_REJECTIONS = Counter(
    "occurisk_overload_rejections", "Expensive requests refused as busy, by kind", ["kind"]
)
RATE_LIMITED = Counter(
    "occurisk_rate_limited",
    "Expensive requests refused because their client sent too many, by kind",
    ["kind"],
)
OVERLOAD_STORE_FALLBACKS = Counter(
    "occurisk_overload_store_fallbacks",
    "Overload decisions made with this worker's limits because Redis (OCCURISK_REDIS_URL) was unreachable",
)
RESUMES_PARSED = Counter("occurisk_resumes_parsed", "Résumés read into jobs (API and pages)")
LETTERS_MADE = Counter("occurisk_cover_letters_made", "Cover letters drafted (API and pages)")
AUDIO_SECONDS = Counter("occurisk_audio_transcribed_seconds", "Seconds of recordings transcribed")
CODER_CONFIDENCE = Histogram(
    "occurisk_coder_confidence",
    "The occupation coder's confidence in its best code, per job ad checked",
    buckets=(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0),
)
CODER_UNSURE = Counter(
    "occurisk_coder_unsure_answers", "Job ads whose best code was below the confidence threshold"
)


def record_coding(confidence: float | None, unsure: bool) -> None:
    """A job ad coded for a person (the check-a-job-ad page and POST /api/v1/postings/code)."""
    if confidence is not None:
        CODER_CONFIDENCE.observe(confidence)
    if unsure:
        CODER_UNSURE.inc()


def route_template(scope: dict) -> str:
    """The template of the route that answered `scope` (UNMATCHED when no route did; `/static` for files)."""
    if "route" not in scope:
        # A Mount (/static) leaves its endpoint; nothing at all: no route matched.
        return scope.get("root_path") or UNMATCHED if "endpoint" in scope else UNMATCHED
    if isinstance(scope["route"], Mount):
        return scope["route"].path
    return loggable_path(scope)


# Paths the response cache may answer without routing, and their templates (learned from their miss).
MAX_LEARNED_PATHS = 10_000


class MetricsMiddleware:
    """Pure ASGI, around everything but the request id: counts, times and logs every request (the response
    cache's answers too: a hit never reaches the router, so its template is the one its path's miss was
    routed to)."""

    def __init__(self, app):
        self.app = app
        self.cached_templates: dict[str, str] = {}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"] == METRICS_PATH:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # an exception before any answer
        cache = None

        async def observed(message):
            nonlocal status, cache
            if message["type"] == "http.response.start":
                status = message["status"]
                cache = dict(message.get("headers", [])).get(b"x-cache")
            await send(message)

        try:
            await self.app(scope, receive, observed)
        finally:
            if cache == b"hit":  # answered by the cache, before routing
                route = self.cached_templates.get(scope["path"], UNMATCHED)
            else:
                route = route_template(scope)
                if cache == b"miss":
                    if len(self.cached_templates) >= MAX_LEARNED_PATHS:
                        self.cached_templates.clear()
                    self.cached_templates[scope["path"]] = route
            HTTP_REQUESTS.labels(route, scope["method"], f"{status // 100}xx").inc()
            elapsed = time.perf_counter() - started
            HTTP_DURATION.labels(route).observe(elapsed)
            log_request(scope["method"], route, status, elapsed)
            if scope["method"] == "GET" and not scope["path"].startswith(UNCACHED_PREFIXES):
                RESPONSE_CACHE.labels(cache.decode() if cache else "bypass").inc()


def registry() -> CollectorRegistry:
    """Every worker's metrics (multiprocess mode), or this process's."""
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        return REGISTRY
    collected = CollectorRegistry()
    multiprocess.MultiProcessCollector(collected)
    return collected


PLATFORM = CollectorRegistry(auto_describe=False)
PLATFORM.register(PlatformCollector())


def exposition() -> bytes:
    """This server's metrics, then the platform's (api/platform_metrics.py): two sets of distinct names."""
    return generate_latest(registry()) + generate_latest(PLATFORM)


router = APIRouter(include_in_schema=False)


@router.get(METRICS_PATH)
async def metrics() -> Response:
    """The Prometheus text format (reading files and the database: in a thread, off the event loop)."""
    body = await run_in_threadpool(exposition)
    return Response(body, media_type=CONTENT_TYPE_LATEST, headers={"cache-control": "no-store"})
