from fastapi import APIRouter

from api.deps import ConnectionDep
from api.queries import versions as version_queries
from api.schemas.common import ERROR_RESPONSES, Meta
from api.schemas.versions import VersionInfo, Versions

router = APIRouter(tags=["versions"])


@router.get("/versions", response_model=Versions, responses={503: ERROR_RESPONSES[503]})
async def list_versions(conn: ConnectionDep) -> Versions:
    """Every servable (completely built) O*NET version, oldest first; `is_active` marks the one served by
    default. A version still building or whose build failed is not listed (`occurisk versions list` shows it)."""
    rows = await version_queries.versions(conn)
    active = next((row["id"] for row in rows if row["is_active"]), None)
    return Versions(meta=Meta.for_version(active), items=[VersionInfo(**row) for row in rows])
