"""One response cache for the JSON API and the web pages, as ASGI middleware.

An answer is kept under (data generation, method, path, query string, what the page varies on) and served
again only while the data generation (occurisk_assets/lib/data_generation.py) is the same. The generation is
read from the database on every request — one indexed read of a tiny table — so a cached answer can never
outlive its data: the active version switching, a mart rebuilt, scores or BLS figures written all change it.
Only complete 200 answers of GET requests are kept, and never one marked `cache-control: no-store` (a page
with a form token or personal data); when the generation cannot be read (database down, not built, not
readable by the API's role) the request goes straight through, uncached, and a warning says so once per
outage. Bounded by bytes, least recently used out first.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import psycopg

from api.privacy import PERSONAL_PREFIXES
from occurisk_assets.lib.data_generation import CURRENT_GENERATION

log = logging.getLogger(__name__)

# Never cached: liveness must reach the database; the docs and static files are not data; /metrics must not
# wait for the generation (a pooled connection) when the database is down, or every scrape fails with it.
# Personal data (profiles, résumés; their pages under /my-work, and the old /profile/ addresses) changes
# without a new data generation and must never sit in a shared cache; postings change with every crawl or
# import.
UNCACHED_PREFIXES = (
    "/api/v1/health",
    *PERSONAL_PREFIXES,
    "/api/v1/postings",
    "/docs",
    "/redoc",
    "/openapi.json",
    "/static/",
    "/metrics",
)


def _no_store(start: dict) -> bool:
    return any(k.lower() == b"cache-control" and b"no-store" in v for k, v in start.get("headers", []))


@dataclass
class Entry:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class ResponseCache:
    """LRU of whole responses, at most `max_bytes` of bodies."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.bytes = 0
        self.entries: OrderedDict[tuple, Entry] = OrderedDict()
        self.hits = self.misses = 0

    def get(self, key: tuple) -> Entry | None:
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        return entry

    def put(self, key: tuple, entry: Entry) -> None:
        if len(entry.body) > self.max_bytes:
            return
        old = self.entries.pop(key, None)
        if old is not None:
            self.bytes -= len(old.body)
        self.entries[key] = entry
        self.bytes += len(entry.body)
        while self.bytes > self.max_bytes:
            _, evicted = self.entries.popitem(last=False)
            self.bytes -= len(evicted.body)


class ResponseCacheMiddleware:
    """`vary(scope)` names what, besides the URL, changes an answer (the page language, the contrast)."""

    def __init__(self, app, max_bytes: int, vary: Callable[[dict], tuple]):
        self.app = app
        self.cache = ResponseCache(max_bytes)
        self.vary = vary
        self.generation_readable = True

    async def generation(self, scope) -> int | None:
        pool = getattr(scope["app"].state, "pool", None)
        if pool is None:
            return None
        try:
            async with pool.connection() as conn:
                cur = await conn.execute(CURRENT_GENERATION)
                generation = (await cur.fetchone())["generation"]
        except psycopg.Error as exc:
            # Not built yet, unreachable, or not readable by the API's role: the route answers, uncached.
            # Said once per outage: every request would say it again.
            if self.generation_readable:
                log.warning("response cache off: the data generation cannot be read (%s)", exc)
            self.generation_readable = False
            return None
        self.generation_readable = True
        return generation

    async def __call__(self, scope, receive, send):
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or scope["path"].startswith(UNCACHED_PREFIXES)
            or self.cache.max_bytes == 0
        ):
            await self.app(scope, receive, send)
            return
        generation = await self.generation(scope)
        if generation is None:
            await self.app(scope, receive, send)
            return
        key = (generation, scope["path"], scope["query_string"], self.vary(scope))
        entry = self.cache.get(key)
        if entry is not None:
            self.cache.hits += 1
            await send({"type": "http.response.start", "status": entry.status, "headers": entry.headers})
            await send({"type": "http.response.body", "body": entry.body})
            return
        self.cache.misses += 1
        start: dict = {}
        chunks: list[bytes] = []

        async def capture(message):
            if message["type"] == "http.response.start":
                start.update(message)
                message = {
                    **message,
                    "headers": [*message.get("headers", []), (b"x-cache", b"miss")],
                }
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and start.get("status") == 200 and not _no_store(start):
                    headers = [*start.get("headers", []), (b"x-cache", b"hit")]
                    self.cache.put(key, Entry(200, headers, b"".join(chunks)))
            await send(message)

        await self.app(scope, receive, capture)
