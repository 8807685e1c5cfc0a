"""The home page and search results."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from api.deps import ConnectionDep, VersionDep
from api.pages.render import PageDep, PageError
from api.queries import occupations as occupation_queries

router = APIRouter(include_in_schema=False)

EXAMPLES = ("truck driver", "nurse", "cashier", "teacher", "software developer")
RESULTS = 20


@router.get("/", response_class=HTMLResponse)
async def home(page: PageDep, version: VersionDep) -> HTMLResponse:
    return page.render("home.html", examples=EXAMPLES, data_version=version)


@router.get("/search", response_class=HTMLResponse)
async def search(
    page: PageDep, conn: ConnectionDep, version: VersionDep, q: Annotated[str, Query()] = ""
) -> HTMLResponse:
    if len(q) > 100:
        raise PageError(400, [("q", "q", q[:20] + "…")])
    query_norm = occupation_queries.normalise_search(q) if q.strip() else ""
    results, total, suggestions = [], 0, []
    if query_norm:
        found = await occupation_queries.list_occupations(
            conn, version, query_norm, "relevance", "desc", limit=RESULTS, offset=0
        )
        results, total = found.rows, found.total
        if not results:
            suggestions = await occupation_queries.suggestions(conn, version, query_norm)
    return page.render(
        "search.html",
        q=q.strip(),
        results=results,
        total=total,
        suggestions=suggestions,
        examples=EXAMPLES,
        data_version=version,
    )
