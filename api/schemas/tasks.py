"""An O*NET task: GET /tasks/{task_id}."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from api.schemas.common import Meta, Rounded
from api.schemas.occupations import TaskEnsemble


class TaskOccupation(BaseModel):
    soc_code: str
    soc_title: str | None
    onetsoc_code: str
    title: str | None
    weight: Rounded | None
    weight_method: str | None


class TaskRunScore(BaseModel):
    model: str
    run_id: int
    score: Rounded
    rationale: str | None
    model_version: str | None
    prompt_version: str | None
    run_status: str | None
    scored_at: dt.datetime | None
    is_current: bool = Field(description="The model's latest run for this task (the one the ensemble uses).")


class TaskDetail(BaseModel):
    meta: Meta
    task_id: int
    statement: str
    task_type: str | None
    importance: Rounded | None
    relevance: Rounded | None
    frequency: Rounded | None
    ensemble: TaskEnsemble | None
    occupations: list[TaskOccupation]
    scores: list[TaskRunScore]
