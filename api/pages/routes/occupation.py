"""The occupation page: the verdict, the gauge, observed use of AI (Anthropic Economic Index), every task with
each rater's score and reason and its observed use, BLS figures, the O*NET-SOC occupations and the safer moves
(defs/careers: what carries over, the skill gaps)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from api.deps import ConnectionDep, VersionDep
from api.pages.occupations import load_occupation
from api.pages.render import PageDep
from api.queries import careers as career_queries
from api.queries import occupations as occupation_queries
from api.services.occupations import task_score
from occurisk_assets.careers.transitions import DEFAULTS as DEFAULT_TRANSITION_FILTERS
from occurisk_assets.lib.codes import SOC_CODE

router = APIRouter(include_in_schema=False)

LEAST_EXPOSED = 3
TRANSITIONS = 5
FromSoc = Annotated[str | None, Query(alias="from", max_length=20)]


@router.get("/occupation/{soc}", response_class=HTMLResponse)
async def occupation(
    soc: str, page: PageDep, conn: ConnectionDep, version: VersionDep, from_soc: FromSoc = None
) -> HTMLResponse:
    row = await load_occupation(conn, version, soc)
    # Reached from another job's safer moves: offer to compare the two.
    came_from = None
    if from_soc and SOC_CODE.fullmatch(from_soc) and from_soc != soc:
        title = await occupation_queries.title_of(conn, version, from_soc)
        came_from = {"soc_code": from_soc, "title": title} if title else None
    scored = [t for t in row["tasks"] if task_score(t) is not None]
    least = sorted(scored, key=lambda t: (task_score(t), -t["weight"], t["task_id"]))[:LEAST_EXPOSED]
    # The safer moves of the careers domain, under its default filters (as the API's top_transitions).
    transitions = await career_queries.transitions(
        conn, version, soc, DEFAULT_TRANSITION_FILTERS, TRANSITIONS
    )
    no_transition = None
    if not transitions:
        no_transition = (
            "not_scored"
            if row["ai_mean"] is None
            else await career_queries.no_transition_reason(conn, version, soc, DEFAULT_TRANSITION_FILTERS)
        )
    return page.render(
        "occupation.html",
        occ=row,
        summary=row["summary"],
        least=least,
        transitions=transitions,
        no_transition=no_transition,
        task_score=task_score,
        came_from=came_from,
        data_version=version,
    )
