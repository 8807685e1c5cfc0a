"""Compare two or three occupations side by side."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.deps import ConnectionDep, VersionDep
from api.pages import charts
from api.pages.occupations import load_occupation
from api.pages.render import PageDep, PageError
from api.services.occupations import task_score
from occurisk_assets.lib.codes import SOC_CODE

router = APIRouter(include_in_schema=False)

TASKS_SHOWN = 5


@router.get("/compare", response_class=HTMLResponse)
async def compare(page: PageDep, conn: ConnectionDep, version: VersionDep) -> HTMLResponse:
    # Blank fields of the form are ignored; without any code the page is the empty form.
    socs = [s.strip() for s in page.request.query_params.getlist("soc") if s.strip()]
    socs = list(dict.fromkeys(socs))
    if not socs:
        return page.render("compare.html", jobs=[], socs=[], chart=None, data_version=version)
    problems = [("soc", "soc", s[:20]) for s in socs if not SOC_CODE.fullmatch(s)]
    if not problems and not 2 <= len(socs) <= 3:
        problems.append(("soc", "compare_count", len(socs)))
    if problems:
        raise PageError(400, problems)
    jobs = []
    for soc in socs:
        row = await load_occupation(conn, version, soc)
        scored = [t for t in row["tasks"] if task_score(t) is not None]
        row["most"] = scored[:TASKS_SHOWN]
        row["least"] = sorted(scored, key=lambda t: (task_score(t), t["task_id"]))[:TASKS_SHOWN]
        jobs.append(row)
    t = page.t
    bars = [
        (j["title"], j["summary"].mean, j["summary"].low, j["summary"].high) for j in jobs if j["summary"]
    ]
    chart = charts.compare_bars(bars, t("compare_chart_title"), t("compare_chart_desc")) if bars else None
    return page.render("compare.html", jobs=jobs, socs=socs, chart=chart, data_version=version)
