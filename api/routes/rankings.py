from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import ConnectionDep, VersionDep
from api.queries import occupations as occupation_queries
from api.schemas.common import ERROR_RESPONSES, Meta
from api.schemas.occupations import Ranking, RankingItem
from api.services.occupations import ai_score

router = APIRouter(tags=["rankings"])


@router.get("/rankings/ai_risk", response_model=Ranking, responses=ERROR_RESPONSES)
async def ai_risk(
    conn: ConnectionDep,
    version: VersionDep,
    limit: Annotated[
        int, Query(ge=1, le=1000, description="At most this many occupations (default: all).")
    ] = 1000,
    order: Annotated[occupation_queries.Order, Query(description="desc: most exposed first.")] = "desc",
    major_group: Annotated[
        str | None,
        Query(
            pattern=r"^[0-9]{2}(-0000)?$",
            examples=["15"],
            description="SOC major group: 15 or 15-0000.",
        ),
    ] = None,
    job_zone: Annotated[int | None, Query(ge=1, le=5, description="O*NET job zone (1-5).")] = None,
    min_employment: Annotated[
        int | None,
        Query(
            ge=0,
            le=1_000_000_000,
            description="Only occupations with at least this OEWS employment.",
        ),
    ] = None,
) -> Ranking:
    """Scored occupations ranked by AI-replacement score."""
    group = f"{major_group[:2]}-0000" if major_group else None
    result = await occupation_queries.ranking(conn, version, order, limit, group, job_zone, min_employment)
    return Ranking(
        meta=Meta.for_version(version),
        total=result.total,
        order=order,
        items=[
            RankingItem(
                rank=row["ai_rank"],
                soc_code=row["soc_code"],
                title=row["title"],
                major_group=row["major_group"],
                job_zone=row["job_zone"],
                ai_score=ai_score(row),
                percentile=row["ai_percentile"],
                employment=row["employment"],
                median_annual_wage=row["median_annual_wage"],
                median_annual_wage_flag=row["median_annual_wage_flag"],
                growth_pct=row["growth_pct"],
                bls_match_type=row["oews_match_type"],
            )
            for row in result.rows
        ],
    )
