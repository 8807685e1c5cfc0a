"""Explore: the treemap of every scored occupation (coloured by the AI score or by observed use), the scatter of
the two, filters, the sortable ranking and its CSV."""

from __future__ import annotations

import csv
import io

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from psycopg import AsyncConnection

from api.deps import ConnectionDep, VersionDep
from api.pages import charts
from api.pages.render import Formatter, Page, PageDep, PageError
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
    "observed": (lambda r: r["observed_exposure"], "desc"),
}
# What colours the treemap (?colour=): the modelled AI score, or observed use (Anthropic Economic Index); the
# row's column, and the keys of the treemap's title and description.
COLOURS = {
    "ai": ("ai_mean", "treemap_title", "treemap_desc"),
    "observed": ("observed_exposure", "treemap_title_observed", "treemap_desc_observed"),
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
    "observed_exposure",
)


def read_filters(page: Page) -> dict:
    """?major_group=15&job_zone=3&sort=wage&order=asc&colour=observed, each checked; every problem reported
    at once."""
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
    colour = params.get("colour") or "ai"
    if colour not in COLOURS:
        problems.append(("colour", "colour", colour[:20]))
    if problems:
        raise PageError(400, problems)
    return {"major_group": group, "job_zone": zone, "sort": sort, "order": order, "colour": colour}


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
    colour_by, title_key, desc_key = COLOURS[filters["colour"]]
    items = [
        charts.TreemapItem(r["major_group"], r["title"], r["employment"], r[colour_by])
        for r in rows
        if r["employment"]
    ]
    t = page.t
    treemap = None
    if items:
        treemap = charts.treemap(items, t(title_key), t(desc_key, n=len(items)))
    return page.render(
        "explore.html",
        rows=rows,
        filters=filters,
        treemap=treemap,
        n_missing=len(rows) - len(items),
        n_no_colour=sum(item.score is None for item in items),
        scatter=observed_scatter(page, rows),
        major_groups=sorted(MAJOR_GROUPS.items()),
        legend=charts.legend_bins(),
        data_version=version,
    )


def observed_scatter(page: Page, rows: list[dict]) -> dict | None:
    """The scatter of the AI score (x) against observed use (y), one point per job that has both; None when
    no job shown has both."""
    t, fmt = page.t, Formatter(page.lang)
    both = [r for r in rows if r["observed_exposure"] is not None]
    if not both:
        return None
    points = [
        charts.ScatterPoint(
            t(
                "scatter_point",
                title=r["title"],
                ai=fmt.pct(r["ai_mean"]),
                observed=fmt.observed(r["observed_exposure"]),
            ),
            r["ai_mean"],
            r["observed_exposure"],
        )
        for r in both
    ]
    n_zero = sum(r["observed_exposure"] == 0 for r in both)
    svg = charts.scatter(
        points,
        t("scatter_x"),
        t("scatter_y"),
        t("scatter_title"),
        t("scatter_desc", n=len(points), n_zero=n_zero),
    )
    return {"svg": svg, "n": len(points), "n_without": len(rows) - len(points)}


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
                r["observed_exposure"],
            ]
        )
    name = f"occurisk-{version}-ranking.csv"
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
