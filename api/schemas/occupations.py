"""Occupations and their rankings: GET /occupations, /occupations/{soc_code}, /rankings/ai_risk."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from api.schemas.careers import Transition
from api.schemas.common import AIScore, BlsFlag, Meta, Pagination, Rounded

TermKind = Literal[
    "title", "alternate_title", "short_title", "reported_title", "korean_name", "korean_everyday"
]

# SOC 2018 major groups (the first two digits of a SOC code).
MAJOR_GROUPS = {
    "11": "Management Occupations",
    "13": "Business and Financial Operations Occupations",
    "15": "Computer and Mathematical Occupations",
    "17": "Architecture and Engineering Occupations",
    "19": "Life, Physical, and Social Science Occupations",
    "21": "Community and Social Service Occupations",
    "23": "Legal Occupations",
    "25": "Educational Instruction and Library Occupations",
    "27": "Arts, Design, Entertainment, Sports, and Media Occupations",
    "29": "Healthcare Practitioners and Technical Occupations",
    "31": "Healthcare Support Occupations",
    "33": "Protective Service Occupations",
    "35": "Food Preparation and Serving Related Occupations",
    "37": "Building and Grounds Cleaning and Maintenance Occupations",
    "39": "Personal Care and Service Occupations",
    "41": "Sales and Related Occupations",
    "43": "Office and Administrative Support Occupations",
    "45": "Farming, Fishing, and Forestry Occupations",
    "47": "Construction and Extraction Occupations",
    "49": "Installation, Maintenance, and Repair Occupations",
    "51": "Production Occupations",
    "53": "Transportation and Material Moving Occupations",
    "55": "Military Specific Occupations",
}


class AIScoreDetail(AIScore):
    n_models: int | None
    rank: int | None = Field(description="1 = the highest score among scored occupations of this version.")
    n_ranked: int | None = Field(description="How many occupations have a score (the rank's denominator).")
    percentile: Rounded | None = Field(description="Share of scored occupations with a lower score, 0-100.")
    updated_at: dt.datetime | None


class SearchMatch(BaseModel):
    term: str = Field(description="The title that matched the search best.")
    kind: TermKind
    relevance: Rounded


class OccupationListItem(BaseModel):
    soc_code: str
    title: str
    ai_score: AIScore | None = Field(description="null when none of the occupation's tasks is scored.")
    employment: int | None = Field(description="OEWS national employment.")
    median_annual_wage: int | None = Field(description="OEWS median annual wage, USD.")
    median_annual_wage_flag: BlsFlag | None = Field(
        description="Why the wage is null: suppressed by BLS, or top-coded (at or above the OEWS top code)."
    )
    growth_pct: Rounded | None = Field(
        description="Projected employment change over the projection period, percent."
    )
    bls_match_type: str | None = Field(
        description="How the BLS figures were linked: exact, crosswalk, soc_2010, "
        "or aggregate (they cover several occupations: do not sum them)."
    )
    match: SearchMatch | None = Field(default=None, description="With ?search=: why this occupation matched.")
    observed_exposure: Rounded | None = Field(
        default=None,
        description="Observed use of AI (Anthropic Economic Index, observed_use.aei_release of the detail): "
        "null when no release observes the occupation — not the same as zero.",
    )


class OccupationList(BaseModel):
    meta: Meta
    pagination: Pagination
    search: str | None
    sort: Literal["relevance", "ai", "observed", "employment", "wage", "growth", "title"]
    order: Literal["asc", "desc"]
    items: list[OccupationListItem]


class MajorGroup(BaseModel):
    code: str = Field(examples=["15-0000"])
    title: str | None


class ModelScore(BaseModel):
    model: str
    score: Rounded | None
    coverage: Rounded
    n_tasks_scored: int
    updated_at: dt.datetime | None


class OewsMetrics(BaseModel):
    ref_year_month: str = Field(examples=["2024-05"])
    bls_soc_code: str
    bls_title: str | None
    match_type: str = Field(
        description="How the O*NET SOC code was linked to the BLS row: exact, crosswalk, "
        "aggregate (the BLS row covers several O*NET SOC codes), soc_2010."
    )
    employment: int | None
    employment_flag: BlsFlag | None
    median_annual_wage: int | None
    median_annual_wage_flag: BlsFlag | None
    mean_annual_wage: int | None
    mean_annual_wage_flag: BlsFlag | None
    median_hourly_wage: Rounded | None
    median_hourly_wage_flag: BlsFlag | None


class ProjectionMetrics(BaseModel):
    projection_period: str = Field(examples=["2024-2034"])
    bls_soc_code: str
    bls_title: str | None
    match_type: str
    employment_base: int | None
    employment_projected: int | None
    employment_change: int | None
    growth_pct: Rounded | None
    annual_openings: int | None
    median_annual_wage: int | None
    median_annual_wage_flag: BlsFlag | None
    typical_education: str | None
    work_experience: str | None
    on_the_job_training: str | None


class BlsMetrics(BaseModel):
    oews: OewsMetrics | None = Field(description="OEWS employment and wages; null when no BLS row matches.")
    projections: ProjectionMetrics | None


class OnetOccupation(BaseModel):
    onetsoc_code: str
    title: str
    job_zone: int | None
    n_tasks: int


class TaskEnsemble(BaseModel):
    mean: Rounded
    std: Rounded | None
    min: Rounded
    max: Rounded
    n_models: int


class TaskModelScore(BaseModel):
    model: str
    score: Rounded
    rationale: str | None = Field(description="The model's reason, where an LLM gave one.")
    run_id: int
    model_version: str | None
    prompt_version: str | None
    scored_at: dt.datetime | None


class OccupationTask(BaseModel):
    task_id: int
    onetsoc_code: str
    statement: str
    task_type: str | None
    weight: Rounded = Field(description="The task's share of the occupation (weights sum to 1 per SOC code).")
    weight_method: str
    ensemble: TaskEnsemble | None
    model_scores: list[TaskModelScore]
    observed_penetration: Rounded | None = Field(
        default=None,
        description="Share of the task observed done with AI (Anthropic Economic Index, latest release with "
        "it, 0-1); null: no observation, which is not zero.",
    )


class ObservedUse(BaseModel):
    """What people are using AI for today, as one provider's usage data shows it (the Anthropic Economic
    Index), beside the modelled score (what AI could do)."""

    aei_release: str = Field(description="The AEI release, e.g. labor_market_impacts or 2025_03_27.")
    published_on: dt.date
    observed_exposure: Rounded | None = Field(description="The release's observed exposure, 0-1.")
    penetration: Rounded | None = Field(
        description="Σ task weight × task penetration over the observed tasks (the AI score's weights)."
    )
    penetration_coverage: Rounded | None = Field(description="Weight share of the tasks with an observation.")
    n_tasks_observed: int
    automation_share: Rounded | None = Field(description="Automation share of the interaction patterns.")
    augmentation_share: Rounded | None = Field(description="Augmentation share of the interaction patterns.")


class RelatedOccupation(BaseModel):
    soc_code: str
    title: str
    relatedness_tier: str
    ai_score_mean: Rounded | None
    safer: bool | None = Field(description="true when its AI score is lower than this occupation's.")


class OccupationDetail(BaseModel):
    meta: Meta
    soc_code: str
    title: str
    description: str | None
    major_group: MajorGroup
    job_zone: int | None
    n_tasks: int
    ai_score: AIScoreDetail | None
    observed_use: ObservedUse | None = Field(
        description="Observed use of AI (Anthropic Economic Index); null when no release observes it."
    )
    model_scores: list[ModelScore]
    bls: BlsMetrics
    onet_occupations: list[OnetOccupation]
    top_tasks: list[OccupationTask]
    related_occupations: list[RelatedOccupation]
    top_transitions: list[Transition] = Field(
        description="The 5 best moves under the default filters (GET /occupations/{soc_code}/transitions)."
    )


class RankingItem(BaseModel):
    rank: int = Field(
        description="Rank among all scored occupations (1 = highest score), whatever the filters."
    )
    soc_code: str
    title: str
    major_group: str
    job_zone: int | None
    ai_score: AIScore
    percentile: Rounded
    employment: int | None
    median_annual_wage: int | None
    median_annual_wage_flag: BlsFlag | None
    growth_pct: Rounded | None
    bls_match_type: str | None


class Ranking(BaseModel):
    meta: Meta
    total: int = Field(description="Scored occupations matching the filters.")
    order: Literal["asc", "desc"]
    items: list[RankingItem]
