"""Safer next occupations: the most similar occupations of a SOC and the moves from it, filtered and ranked
(occurisk_assets/defs/careers; docs/methodology.md, "Safer next occupations")."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from psycopg import AsyncConnection

from api.deps import ConnectionDep, SocCode, VersionDep
from api.queries import careers as career_queries
from api.schemas.careers import (
    SimilarityComponent,
    SimilarOccupation,
    SimilarOccupations,
    Transition,
    TransitionFilterValues,
    Transitions,
)
from api.schemas.common import ERROR_RESPONSES, Meta
from api.services.occupations import ai_score
from occurisk_assets.careers import transitions as careers_transitions
from occurisk_assets.careers.similarity import COMPONENTS, DEFAULT_TOP_K

router = APIRouter(tags=["careers"])


async def source_or_404(conn: AsyncConnection, version: str, soc_code: str) -> dict:
    source = await career_queries.source_occupation(conn, version, soc_code)
    if source is None:
        raise HTTPException(404, f"no occupation with SOC code {soc_code} in O*NET {version}")
    return source


@router.get("/occupations/{soc_code}/similar", response_model=SimilarOccupations, responses=ERROR_RESPONSES)
async def similar_occupations(
    soc_code: SocCode,
    conn: ConnectionDep,
    version: VersionDep,
    limit: Annotated[int, Query(ge=1, le=DEFAULT_TOP_K, description="How many, most similar first.")] = 20,
) -> SimilarOccupations:
    """The occupations most similar to this one by what the work involves (skills, knowledge, detailed work
    activities, software, task text, and abilities / work activities / work context when the release has
    them), each component shown; `onet_related` marks those O*NET also lists as related."""
    source = await source_or_404(conn, version, soc_code)
    build = await career_queries.similarity_build(conn, version)
    rows = await career_queries.similar_occupations(conn, version, soc_code, limit)
    recall = (build or {}).get("related_recall", {}).get("combined", {}).get("micro")
    return SimilarOccupations(
        meta=Meta.for_version(version),
        soc_code=soc_code,
        title=source["title"],
        components={
            name: SimilarityComponent(**c) for name, c in (build or {}).get("components", {}).items()
        },
        onet_primary_short_recall_at_20=recall,
        items=[
            SimilarOccupation(
                soc_code=row["soc_code"],
                title=row["title"],
                similarity=row["similarity"],
                rank=row["similarity_rank"],
                components={c: row[c] for c in COMPONENTS},
                onet_related=row["onet_related_tier"] is not None,
                onet_related_tier=row["onet_related_tier"],
                ai_score=ai_score(row),
            )
            for row in rows
        ],
    )


async def top_transitions(
    conn: AsyncConnection,
    version: str,
    soc_code: str,
    filters: careers_transitions.TransitionFilters,
    limit: int,
) -> tuple[list[Transition], int]:
    rows = await career_queries.transitions(conn, version, soc_code, filters, limit)
    return [Transition.from_row(row) for row in rows], rows[0]["total"] if rows else 0


@router.get("/occupations/{soc_code}/transitions", response_model=Transitions, responses=ERROR_RESPONSES)
async def occupation_transitions(
    soc_code: SocCode,
    conn: ConnectionDep,
    version: VersionDep,
    limit: Annotated[int, Query(ge=1, le=DEFAULT_TOP_K, description="How many, best first.")] = 20,
    max_job_zone_change: Annotated[
        int,
        Query(
            ge=-careers_transitions.LARGEST_JOB_ZONE_CHANGE,
            le=careers_transitions.LARGEST_JOB_ZONE_CHANGE,
            description="Largest step up in preparation (job zone, 1-5) allowed; 4 turns the filter off.",
        ),
    ] = careers_transitions.DEFAULT_MAX_JOB_ZONE_CHANGE,
    min_wage_ratio: Annotated[
        float,
        Query(
            ge=0,
            le=10,
            description="Smallest target / current median wage allowed; 0 turns the filter off (and admits "
            "occupations whose wage is unknown).",
        ),
    ] = careers_transitions.DEFAULT_MIN_WAGE_RATIO,
    safer_only: Annotated[
        bool,
        Query(description="Only occupations less exposed to AI beyond the uncertainty of the scores."),
    ] = careers_transitions.DEFAULT_SAFER_ONLY,
) -> Transitions:
    """Where this occupation's experience can lead: similar occupations, by default only those less exposed
    to AI beyond the uncertainty, at most one job zone more preparation, paying at least 0.75 of the current
    median wage; ranked by closeness, exposure drop, growth and openings. Each says what carries over and
    which skills need raising (skill gaps, with both levels)."""
    source = await source_or_404(conn, version, soc_code)
    filters = careers_transitions.TransitionFilters(max_job_zone_change, min_wage_ratio, safer_only)
    items, total = await top_transitions(conn, version, soc_code, filters, limit)
    reason = None
    if total == 0:
        reason = (
            "not_scored"
            if source["ai_mean"] is None
            else await career_queries.no_transition_reason(conn, version, soc_code, filters)
        )
    reason_texts = {"not_scored": "the occupation has no AI score yet", **careers_transitions.REASONS}
    return Transitions(
        meta=Meta.for_version(version),
        soc_code=soc_code,
        title=source["title"],
        ai_score=ai_score(source),
        job_zone=source["job_zone"],
        median_annual_wage=source["median_annual_wage"],
        filters=TransitionFilterValues(
            max_job_zone_change=max_job_zone_change, min_wage_ratio=min_wage_ratio, safer_only=safer_only
        ),
        total=total,
        reason=reason,
        reason_text=reason_texts.get(reason) if reason else None,
        items=items,
    )
