from math import ceil
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from api.deps import ConnectionDep, SocCode, VersionDep
from api.queries import careers as career_queries
from api.queries import occupations as occupation_queries
from api.schemas.careers import Transition
from api.schemas.common import ERROR_RESPONSES, Meta, Pagination
from api.schemas.occupations import (
    MAJOR_GROUPS,
    AIScoreDetail,
    BlsMetrics,
    MajorGroup,
    ModelScore,
    ObservedUse,
    OccupationDetail,
    OccupationList,
    OccupationListItem,
    OccupationTask,
    OewsMetrics,
    OnetOccupation,
    ProjectionMetrics,
    RelatedOccupation,
    SearchMatch,
)
from api.services.occupations import ai_score
from occurisk_assets.careers.transitions import DEFAULTS as DEFAULT_TRANSITION_FILTERS

router = APIRouter(tags=["occupations"])


def list_item(row: dict) -> OccupationListItem:
    match = None
    if "match_term" in row:
        match = SearchMatch(term=row["match_term"], kind=row["match_kind"], relevance=row["relevance"])
    return OccupationListItem(
        soc_code=row["soc_code"],
        title=row["title"],
        ai_score=ai_score(row),
        employment=row["employment"],
        median_annual_wage=row["median_annual_wage"],
        median_annual_wage_flag=row["median_annual_wage_flag"],
        growth_pct=row["growth_pct"],
        bls_match_type=row["oews_match_type"],
        match=match,
        observed_exposure=row["observed_exposure"],
    )


@router.get("/occupations", response_model=OccupationList, responses=ERROR_RESPONSES)
async def list_occupations(
    conn: ConnectionDep,
    version: VersionDep,
    search: Annotated[
        str | None,
        Query(
            max_length=100,
            description="Words of a job title, as people say it: 'truck driver', 'RN', 'cashier'. "
            "Matches O*NET titles, alternate titles and reported job titles; tolerant of typos.",
        ),
    ] = None,
    sort: Annotated[
        occupation_queries.SortKey | None,
        Query(
            description="ai (score), observed (observed use of AI, Anthropic Economic Index), employment, wage (median annual), growth (projected), title. Default: "
            "relevance with a search, ai without.",
        ),
    ] = None,
    order: Annotated[
        occupation_queries.Order | None, Query(description="Default: asc for title, desc otherwise.")
    ] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> OccupationList:
    """Occupations (SOC codes) with their AI score and BLS figures: searched, sorted and paged."""
    search_text = occupation_queries.normalise_search(search) if search and search.strip() else None
    sort_by = sort or ("relevance" if search_text is not None else "ai")
    order = order or ("asc" if sort_by == "title" else "desc")
    if search_text == "":
        # Nothing searchable in it (only punctuation, say): nothing matches.
        result = occupation_queries.Page([], 0)
    else:
        result = await occupation_queries.list_occupations(
            conn, version, search_text, sort_by, order, limit=page_size, offset=(page - 1) * page_size
        )
    return OccupationList(
        meta=Meta.for_version(version),
        search=search,
        sort=sort_by,
        order=order,
        pagination=Pagination(
            total=result.total, page=page, page_size=page_size, pages=ceil(result.total / page_size)
        ),
        items=[list_item(row) for row in result.rows],
    )


# BLS columns of occupation_summary (those of the view marts.soc_bls_metrics, a dbt model), passed through as they are.
OEWS_COLUMNS = (
    "ref_year_month",
    "employment",
    "employment_flag",
    "median_annual_wage",
    "median_annual_wage_flag",
    "mean_annual_wage",
    "mean_annual_wage_flag",
    "median_hourly_wage",
    "median_hourly_wage_flag",
)
PROJECTION_COLUMNS = (
    "projection_period",
    "employment_base",
    "employment_projected",
    "employment_change",
    "growth_pct",
    "annual_openings",
    "typical_education",
    "work_experience",
    "on_the_job_training",
)


def bls_metrics(row: dict) -> BlsMetrics:
    oews = projections = None
    if row.get("oews_soc_code") is not None:
        oews = OewsMetrics(
            bls_soc_code=row["oews_soc_code"],
            bls_title=row["oews_title"],
            match_type=row["oews_match_type"],
            **{k: row[k] for k in OEWS_COLUMNS},
        )
    if row.get("proj_soc_code") is not None:
        projections = ProjectionMetrics(
            bls_soc_code=row["proj_soc_code"],
            bls_title=row["proj_title"],
            match_type=row["proj_match_type"],
            median_annual_wage=row["proj_median_annual_wage"],
            median_annual_wage_flag=row["proj_median_annual_wage_flag"],
            **{k: row[k] for k in PROJECTION_COLUMNS},
        )
    return BlsMetrics(oews=oews, projections=projections)


@router.get("/occupations/{soc_code}", response_model=OccupationDetail, responses=ERROR_RESPONSES)
async def get_occupation(
    soc_code: SocCode,
    conn: ConnectionDep,
    version: VersionDep,
    tasks: Annotated[int, Query(ge=1, le=100, description="How many top tasks (by weight) to include.")] = 10,
) -> OccupationDetail:
    """One occupation: AI score with rank and percentile, each model's score, BLS employment, wages and
    projections, its O*NET-SOC occupations, its heaviest tasks with each model's score (and rationale, where
    an LLM gave one) and the ensemble, related occupations (`safer` when their AI score is lower), and the
    5 best moves to safer work under the default filters (see /occupations/{soc_code}/transitions)."""
    row = await occupation_queries.occupation(conn, version, soc_code, tasks)
    if row is None:
        raise HTTPException(404, f"no occupation with SOC code {soc_code} in O*NET {version}")
    score = None
    if row["ai_n_tasks_scored"] is not None:
        score = AIScoreDetail(
            mean=row["ai_mean"],
            std=row["ai_std"],
            coverage=row["ai_coverage"],
            n_tasks_scored=row["ai_n_tasks_scored"],
            n_models=row["ai_n_models"],
            rank=row["ai_rank"],
            n_ranked=row["n_ranked"],
            percentile=row["ai_percentile"],
            updated_at=row["ai_updated_at"],
        )
    related = [
        RelatedOccupation(
            **other,
            safer=None
            if other["ai_score_mean"] is None or row["ai_mean"] is None
            else other["ai_score_mean"] < row["ai_mean"],
        )
        for other in row["related_occupations"]
    ]
    return OccupationDetail(
        meta=Meta.for_version(version),
        soc_code=soc_code,
        title=row["title"],
        description=row["description"],
        major_group=MajorGroup(code=row["major_group"], title=MAJOR_GROUPS.get(soc_code[:2])),
        job_zone=row["job_zone"],
        n_tasks=row["n_tasks"],
        ai_score=score,
        observed_use=ObservedUse(**row["observed_use"]) if row["observed_use"] else None,
        model_scores=[ModelScore(**m) for m in row["model_scores"]],
        bls=bls_metrics(row),
        onet_occupations=[OnetOccupation(**o) for o in row["onet_occupations"]],
        top_tasks=[OccupationTask(**t) for t in row["top_tasks"]],
        related_occupations=related,
        top_transitions=[
            Transition.from_row(t)
            for t in await career_queries.transitions(conn, version, soc_code, DEFAULT_TRANSITION_FILTERS, 5)
        ],
    )
