from typing import Annotated

from fastapi import APIRouter, HTTPException, Path

from api.deps import ConnectionDep, VersionDep
from api.queries import tasks as task_queries
from api.schemas.common import ERROR_RESPONSES, Meta
from api.schemas.tasks import TaskDetail

router = APIRouter(tags=["tasks"])

TaskId = Annotated[int, Path(ge=1, le=2_147_483_647, examples=[8823], description="O*NET task ID.")]


@router.get("/tasks/{task_id}", response_model=TaskDetail, responses=ERROR_RESPONSES)
async def get_task(task_id: TaskId, conn: ConnectionDep, version: VersionDep) -> TaskDetail:
    """One task: its statement and ratings, the occupation it belongs to (with its weight there), the
    ensemble score and every model's score in every run."""
    row = await task_queries.task(conn, version, task_id)
    if row is None:
        raise HTTPException(404, f"no task {task_id} in O*NET {version}")
    return TaskDetail(meta=Meta.for_version(version), **row)
