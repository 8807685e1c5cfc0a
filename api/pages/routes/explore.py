"""Explore: the treemap of every scored occupation, filters, the sortable ranking and its CSV."""

from __future__ import annotations

import csv
import io

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from psycopg import AsyncConnection

from api.deps import ConnectionDep, VersionDep
from api.pages import charts
from api.pages.render import Page, PageDep, PageError
from api.queries import occupations as occupation_queries
from api.schemas.occupations import MAJOR_GROUPS

router = APIRouter(include_in_schema=False)

# Column → how the ranking sorts by it (None last whatever the order), and its default order.
SORTS = {
    "rank": (lambda r: r["ai_rank"], "asc"),
    "title": (lambda r: r["title"].lower(), "asc"),
    "ai": (lambda r: r["ai_mean"], "desc"),
    "employment": (lambda r: r["employment"], "desc"),
    "wage": (lambda r: r["median_annual_wage"], "desc"),
    "growth": (lambda r: r["growth_pct"], "desc"),
}
CSV_COLUMNS = (
    "rank",
    "soc_code",
    "title",
    "major_group",
    "job_zone",
    "ai_score",
    "employment",
    "median_annual_wage",
    "median_annual_wage_flag",
    "growth_pct",
)


def read_filters(page: Page) -> dict:
    """?major_group=15&job_zone=3&sort=wage&order=asc, each checked; every problem reported at once."""
    params = page.request.query_params
    problems = []
    group = params.get("major_group") or None
    if group is not None and group not in MAJOR_GROUPS:
        problems.append(("major_group", "major_group", group[:20]))
    zone_text = params.get("job_zone") or None
    zone = None
    if zone_text is not None:
        if zone_text in {"1", "2", "3", "4", "5"}:
            zone = int(zone_text)
        else:
            problems.append(("job_zone", "job_zone", zone_text[:20]))
    sort = params.get("sort") or "rank"
    if sort not in SORTS:
        problems.append(("sort", "sort", sort[:20]))
        sort = "rank"
    order = params.get("order") or SORTS[sort][1]
    if order not in ("asc", "desc"):
        problems.append(("order", "order", order[:20]))
    if problems:
        raise PageError(400, problems)
    return {"major_group": group, "job_zone": zone, "sort": sort, "order": order}


async def ranked(conn: AsyncConnection, version: str, filters: dict) -> list[dict]:
    group = f"{filters['major_group']}-0000" if filters["major_group"] else None
    result = await occupation_queries.ranking(conn, version, "desc", 1000, group, filters["job_zone"], None)
    key = SORTS[filters["sort"]][0]
    present = [r for r in result.rows if key(r) is not None]
    missing = [r for r in result.rows if key(r) is None]
    present.sort(key=lambda r: (key(r), r["soc_code"]), reverse=filters["order"] == "desc")
    return present + missing


@router.get("/explore", response_class=HTMLResponse)
async def explore(page: PageDep, conn: ConnectionDep, version: VersionDep) -> HTMLResponse:
    filters = read_filters(page)
    rows = await ranked(conn, version, filters)
    items = [
        charts.TreemapItem(r["major_group"], r["title"], r["employment"], r["ai_mean"])
        for r in rows
        if r["employment"]
    ]
    t = page.t
    treemap = charts.treemap(items, t("treemap_title"), t("treemap_desc", n=len(items))) if items else None
    return page.render(
        "explore.html",
        rows=rows,
        filters=filters,
        treemap=treemap,
        n_missing=len(rows) - len(items),
        major_groups=sorted(MAJOR_GROUPS.items()),
        legend=charts.legend_bins(),
        data_version=version,
    )


@router.get("/explore.csv")
async def explore_csv(page: PageDep, conn: ConnectionDep, version: VersionDep) -> Response:
    """Exactly the rows /explore shows with the same parameters, in the same order."""
    filters = read_filters(page)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in await ranked(conn, version, filters):
        writer.writerow(
            [
                r["ai_rank"],
                r["soc_code"],
                r["title"],
                r["major_group"],
                r["job_zone"],
                f"{r['ai_mean']:.4f}",
                r["employment"],
                r["median_annual_wage"],
                r["median_annual_wage_flag"],
                r["growth_pct"],
            ]
        )
    name = f"occurisk-{version}-ranking.csv"
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
