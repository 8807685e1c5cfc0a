"""Methodology (the method in plain words) and Changes (the releases and their diff reports)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.deps import ConnectionDep, VersionDep
from api.pages.render import PageDep
from api.queries import versions as version_queries
from occurisk_assets.versions import version_sort_key

router = APIRouter(include_in_schema=False)


@router.get("/methodology", response_class=HTMLResponse)
async def methodology(page: PageDep, version: VersionDep) -> HTMLResponse:
    return page.render(f"methodology.{page.lang}.html", data_version=version)


@router.get("/changes", response_class=HTMLResponse)
async def changes(page: PageDep, conn: ConnectionDep, version: VersionDep) -> HTMLResponse:
    versions = sorted(
        await version_queries.versions(conn), key=lambda r: version_sort_key(r["id"]), reverse=True
    )
    reports = sorted(
        await version_queries.diff_reports(conn),
        key=lambda r: version_sort_key(r["data_version"]),
        reverse=True,
    )
    return page.render("changes.html", versions=versions, reports=reports, data_version=version)
