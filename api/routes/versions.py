from fastapi import APIRouter

from api import queries
from api.deps import ConnectionDep, version_sort_key
from api.schemas import ERROR_RESPONSES, Meta, VersionInfo, Versions

router = APIRouter(tags=["versions"])


@router.get("/versions", response_model=Versions, responses={503: ERROR_RESPONSES[503]})
async def list_versions(conn: ConnectionDep) -> Versions:
    """Every loaded O*NET version, oldest first; `is_active` marks the one served by default."""
    rows = sorted(await queries.versions(conn), key=lambda row: version_sort_key(row["id"]))
    active = next((row["id"] for row in rows if row["is_active"]), None)
    return Versions(meta=Meta.for_version(active), items=[VersionInfo(**row) for row in rows])
