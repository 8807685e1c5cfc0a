"""GET /versions/{data_version}/diff: what changed in an O*NET version against its baseline, as the release
lifecycle stored it (core.version_diff, written by the `version_diff` asset). Read per request."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path

from api.deps import VERSION_PATTERN, ConnectionDep
from api.queries import versions as version_queries
from api.schemas.common import ERROR_RESPONSES, Meta
from occurisk_assets.lifecycle.diff import VersionDiff
from occurisk_assets.versions import COMPLETE

router = APIRouter(tags=["versions"])


class VersionDiffReport(VersionDiff):
    created_at: datetime
    markdown: str
    meta: Meta


@router.get(
    "/versions/{data_version}/diff",
    response_model=VersionDiffReport,
    responses={404: ERROR_RESPONSES[404], 409: ERROR_RESPONSES[409], 503: ERROR_RESPONSES[503]},
)
async def version_diff(
    conn: ConnectionDep,
    data_version: Annotated[str, Path(pattern=VERSION_PATTERN, description="O*NET version, e.g. 30.1")],
) -> VersionDiffReport:
    """Row-count changes per table; tasks and occupations added, removed, reworded and re-dated; the shift of
    the AI-score distribution (Kolmogorov–Smirnov, Jensen–Shannon); the occupations whose rank moved most;
    the provider calls the version's scoring needed — against the baseline version (the previously active
    one). 404 when the version has no report."""
    found = await version_queries.diff_report(conn, data_version)
    if found is None:
        raise HTTPException(404, f"no diff report for O*NET {data_version}")
    status = await version_queries.build_status(conn, data_version)
    if status is not None and status != COMPLETE:
        raise HTTPException(409, f"O*NET {data_version} is not completely built (build status: {status})")
    return VersionDiffReport(
        **found["report"],
        created_at=found["created_at"],
        markdown=found["markdown"],
        meta=Meta.for_version(data_version),
    )
