"""An occupation as the pages and the JSON routes show it: its score summary, its tasks in order, its AI
score. Raises domain errors (api/services/errors.py)."""

from __future__ import annotations

from dataclasses import dataclass

from psycopg import AsyncConnection

from api.queries import occupations as occupation_queries
from api.schemas.common import AIScore
from api.schemas.occupations import MAJOR_GROUPS
from api.services.errors import NotFound


def ai_score(row: dict) -> AIScore | None:
    if row["ai_n_tasks_scored"] is None:
        return None
    return AIScore(
        mean=row["ai_mean"],
        std=row["ai_std"],
        coverage=row["ai_coverage"],
        n_tasks_scored=row["ai_n_tasks_scored"],
    )


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


async def with_every_task(conn: AsyncConnection, version: str, soc: str) -> dict:
    """The occupation with every task, sorted most exposed first (unscored last); NotFound when the version
    has no such occupation."""
    row = await occupation_queries.occupation(conn, version, soc, occupation_queries.ALL_TASKS)
    if row is None:
        raise NotFound(f"soc: no occupation {soc} in O*NET {version}", "soc")
    row["tasks"] = sorted(
        row["top_tasks"],
        key=lambda t: (task_score(t) is None, -(task_score(t) or 0), -t["weight"], t["task_id"]),
    )
    row["summary"] = summarise(row)
    row["major_group_title"] = MAJOR_GROUPS.get(soc[:2])
    return row
