import psycopg
from fastapi import APIRouter

from api.deps import ConnectionDep, active_version
from api.schemas.common import ERROR_RESPONSES, Meta
from api.schemas.versions import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, responses={503: ERROR_RESPONSES[503]})
async def health(conn: ConnectionDep) -> Health:
    """The database answers, and which O*NET version is active (null before any is loaded and activated)."""
    try:
        version = await active_version(conn)
    except psycopg.errors.UndefinedTable:  # a new, empty database: reachable, nothing loaded yet
        version = None
    return Health(status="ok", database="reachable", active_version=version, meta=Meta.for_version(version))
