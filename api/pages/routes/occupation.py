"""The occupation page: the verdict, the gauge, every task with each rater's score and reason, BLS figures,
the O*NET-SOC occupations and the safer moves (defs/careers: what carries over, the skill gaps)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse
from psycopg import AsyncConnection

from api import career_queries, queries
from api.deps import ConnectionDep, VersionDep
from api.pages import queries as page_queries
from api.pages.queries import ALL_TASKS
from api.pages.render import PageDep, PageError
from api.schemas.occupations import MAJOR_GROUPS
from occurisk_assets.careers.transitions import DEFAULTS as DEFAULT_TRANSITION_FILTERS
from occurisk_assets.lib.codes import SOC_CODE

router = APIRouter(include_in_schema=False)

LEAST_EXPOSED = 3
TRANSITIONS = 5
FromSoc = Annotated[str | None, Query(alias="from", max_length=20)]


@dataclass
class ScoreSummary:
    mean: float
    low: float
    high: float
    std: float | None
    n_models: int
    coverage: float
    rank: int | None
    n_ranked: int | None
    percentile: float | None

    @property
    def agreement(self) -> str:
        """How closely the raters' occupation scores agree, in words (from their spread)."""
        if self.n_models <= 1 or self.std is None:
            return "one"
        return "high" if self.std < 0.05 else "medium" if self.std < 0.12 else "low"


def task_score(task: dict) -> float | None:
    return task["ensemble"]["mean"] if task.get("ensemble") else None


def summarise(row: dict) -> ScoreSummary | None:
    if row["ai_mean"] is None:
        return None
    by_model = [m["score"] for m in row["model_scores"] if m["score"] is not None]
    return ScoreSummary(
        mean=row["ai_mean"],
        low=min(by_model, default=row["ai_mean"]),
        high=max(by_model, default=row["ai_mean"]),
        std=row["ai_std"],
        n_models=row["ai_n_models"] or len(by_model),
        coverage=row["ai_coverage"],
        rank=row["ai_rank"],
        n_ranked=row["n_ranked"],
        percentile=row["ai_percentile"],
    )


def check_soc(soc: str) -> str:
    if not SOC_CODE.fullmatch(soc):
        raise PageError(400, [("soc", "soc", soc[:20])])
    return soc


async def load_occupation(conn: AsyncConnection, version: str, soc: str) -> dict:
    """The occupation with every task, sorted most exposed first (unscored last), or a 404 page."""
    row = await queries.occupation(conn, version, check_soc(soc), ALL_TASKS)
    if row is None:
        raise PageError(404, [("soc", "soc_unknown", soc)])
    row["tasks"] = sorted(
        row["top_tasks"],
        key=lambda t: (task_score(t) is None, -(task_score(t) or 0), -t["weight"], t["task_id"]),
    )
    row["summary"] = summarise(row)
    row["major_group_title"] = MAJOR_GROUPS.get(soc[:2])
    return row


@router.get("/occupation/{soc}", response_class=HTMLResponse)
async def occupation(
    soc: str, page: PageDep, conn: ConnectionDep, version: VersionDep, from_soc: FromSoc = None
) -> HTMLResponse:
    row = await load_occupation(conn, version, soc)
    # Reached from another job's safer moves: offer to compare the two.
    came_from = None
    if from_soc and SOC_CODE.fullmatch(from_soc) and from_soc != soc:
        title = await page_queries.title_of(conn, version, from_soc)
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
