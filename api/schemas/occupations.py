"""Response models: what every endpoint returns, as documented in the OpenAPI schema at /docs."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, Field, PlainSerializer

from api.config import onet_attribution

ANSWER_DECIMALS = 4


def _to_answer_decimals(value: float) -> float:
    return round(value, ANSWER_DECIMALS)


# Every number the answers derive (scores, shares, weights, similarities, ratios, wages) is written to JSON
# with at most ANSWER_DECIMALS decimals, after the database has sorted by the exact values: no float noise
# such as 0.5750000000000001, and no order changed by rounding.
Rounded = Annotated[float, PlainSerializer(_to_answer_decimals, return_type=float, when_used="json")]

BlsFlag = Literal["suppressed", "top_coded"]
TermKind = Literal["title", "alternate_title", "short_title", "reported_title"]

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


class Meta(BaseModel):
    data_version: str | None = Field(description="The O*NET release the response was built from, e.g. 30.1.")
    attribution: str = Field(description="O*NET attribution (CC BY 4.0).")

    @classmethod
    def for_version(cls, version: str | None) -> Meta:
        return cls(data_version=version, attribution=onet_attribution(version))


class Message(BaseModel):
    detail: str


ERROR_RESPONSES: dict[int | str, dict] = {
    404: {"model": Message, "description": "Unknown code, or a version that is not loaded."},
    409: {"model": Message, "description": "A version that is loaded but not completely built (its status)."},
    503: {
        "model": Message,
        "description": "The database is unreachable, not built yet, or no version is active.",
    },
}


class Pagination(BaseModel):
    total: int = Field(description="Items matching the query, over all pages.")
    page: int
    page_size: int
    pages: int


class AIScore(BaseModel):
    mean: Rounded | None = Field(
        description="AI-replacement score 0-1: the weighted mean of the occupation's scored "
        "tasks' ensemble scores."
    )
    std: Rounded | None = Field(description="Spread (population std) of the per-model occupation scores.")
    coverage: Rounded = Field(
        description="Share of the occupation's task weight carried by scored tasks (0-1)."
    )
    n_tasks_scored: int


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


class OccupationList(BaseModel):
    meta: Meta
    pagination: Pagination
    search: str | None
    sort: Literal["relevance", "ai", "employment", "wage", "growth", "title"]
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


class VersionInfo(BaseModel):
    id: str
    release_date: dt.date | None
    is_active: bool
    loaded_at: dt.datetime | None
    built_at: dt.datetime | None = Field(description="When its last complete build finished.")
    n_occupations: int = Field(
        description="SOC occupations served for this version (0 before its marts are built)."
    )
    n_scored: int


class Versions(BaseModel):
    meta: Meta
    items: list[VersionInfo]


class Health(BaseModel):
    status: Literal["ok"]
    database: Literal["reachable"]
    active_version: str | None
    meta: Meta


class SimilarOccupation(BaseModel):
    soc_code: str
    title: str
    similarity: Rounded = Field(description="Combined similarity 0-1: the weighted mean of the components.")
    rank: int = Field(description="1 = the most similar occupation.")
    components: dict[str, Rounded | None] = Field(
        description="Each component 0-1 (skills, knowledge, abilities, work_activities, work_context, dwas, "
        "technology, task_text); null where the release or one of the two occupations lacks it."
    )
    onet_related: bool = Field(
        description="O*NET also lists it as related (never an input of the similarity)."
    )
    onet_related_tier: str | None = Field(description="Primary-Short, Primary-Long or Supplemental.")
    ai_score: AIScore | None


class SimilarityComponent(BaseModel):
    used: bool = Field(description="The release has this descriptor.")
    weight: Rounded = Field(description="Prior weight.")
    effective_weight: Rounded = Field(description="Weight among the components used (they sum to 1).")
    n_socs: int = Field(description="Occupations that have this descriptor.")


class SimilarOccupations(BaseModel):
    meta: Meta
    soc_code: str
    title: str
    components: dict[str, SimilarityComponent]
    onet_primary_short_recall_at_20: Rounded | None = Field(
        description="Share of O*NET's Primary-Short related occupations found among each occupation's 20 most "
        "similar, over the whole version (docs/methodology.md)."
    )
    items: list[SimilarOccupation]


class TransitionAIScore(BaseModel):
    mean: Rounded
    std: Rounded | None


class CarriedOver(BaseModel):
    kind: Literal["work_activity", "skill"] = Field(
        description="work_activity: a detailed work activity both occupations do; skill: important to both."
    )
    name: str


class SkillGap(BaseModel):
    domain: Literal["skill", "knowledge"]
    element_id: str
    element: str
    your_level: Rounded = Field(description="Level the current occupation needs (O*NET LV, 0-7).")
    needed_level: Rounded = Field(description="Level the target needs (O*NET LV, 0-7).")
    importance: Rounded = Field(description="Importance to the target (O*NET IM, 1-5).")


class Transition(BaseModel):
    soc_code: str
    title: str
    similarity: Rounded
    similarity_rank: int
    transition_score: Rounded = Field(
        description="0.5 closeness (by similarity rank) + 0.3 exposure drop + 0.1 growth percentile + 0.1 "
        "openings percentile (docs/methodology.md)."
    )
    ai_score: TransitionAIScore
    ai_score_change: Rounded = Field(description="Target minus current AI score (negative: less exposed).")
    ai_score_uncertainty: Rounded = Field(description="sqrt(std_current² + std_target²).")
    safer: bool = Field(description="Less exposed by more than the uncertainty.")
    wage_ratio: Rounded | None = Field(description="Target / current OEWS median annual wage.")
    median_annual_wage: int | None
    median_annual_wage_flag: BlsFlag | None
    job_zone: int | None
    job_zone_change: int | None = Field(
        description="Target minus current job zone (1-5 scale of preparation)."
    )
    growth_pct: Rounded | None = Field(description="Projected employment change, percent (BLS).")
    annual_openings: int | None = Field(description="Projected openings per year (BLS).")
    carries_over: list[CarriedOver]
    skill_gaps: list[SkillGap]
    onet_related: bool

    @classmethod
    def from_row(cls, row: dict) -> Transition:
        """From a row of api.career_queries.transitions."""
        return cls(
            soc_code=row["soc_code"],
            title=row["title"],
            similarity=row["similarity"],
            similarity_rank=row["similarity_rank"],
            transition_score=row["transition_score"],
            ai_score=TransitionAIScore(mean=row["target_ai_mean"], std=row["target_ai_std"]),
            ai_score_change=row["ai_score_change"],
            ai_score_uncertainty=row["ai_score_uncertainty"],
            safer=row["is_safer"],
            wage_ratio=row["wage_ratio"],
            median_annual_wage=row["target_median_wage"],
            median_annual_wage_flag=row["target_median_wage_flag"],
            job_zone=row["target_job_zone"],
            job_zone_change=row["job_zone_change"],
            growth_pct=row["growth_pct"],
            annual_openings=row["annual_openings"],
            carries_over=[CarriedOver(**item) for item in row["carries_over"]],
            skill_gaps=[SkillGap(**gap) for gap in row["skill_gaps"]],
            onet_related=row["onet_related_tier"] is not None,
        )


class TransitionFilterValues(BaseModel):
    max_job_zone_change: int
    min_wage_ratio: Rounded
    safer_only: bool


class Transitions(BaseModel):
    meta: Meta
    soc_code: str
    title: str
    ai_score: AIScore | None
    job_zone: int | None
    median_annual_wage: int | None
    filters: TransitionFilterValues
    total: int = Field(description="Moves passing the filters (items holds the first `limit`).")
    reason: str | None = Field(description="Why there is none, when total is 0 (a code, see reason_text).")
    reason_text: str | None
    items: list[Transition]


OccupationDetail.model_rebuild()


# Job postings (occurisk_assets/defs/postings; docs/postings.md).


class PostingOccupation(BaseModel):
    rank: int = Field(description="1 = the coder's best guess.")
    soc_code: str
    title: str | None
    confidence: Rounded = Field(description="The coder's confidence in this code (0-1).")
    ai_score: Rounded | None = Field(description="The occupation's AI score in the served O*NET version.")


class PostingDuty(BaseModel):
    duty: str = Field(description="A duty the posting lists.")
    task_id: int | None = Field(description="The nearest O*NET task statement (TF-IDF cosine).")
    task_statement: str | None
    onetsoc_code: str | None
    similarity: Rounded = Field(description="Cosine similarity of the duty and the task statement (0-1).")
    ai_score: Rounded | None = Field(description="The matched task's AI score (ensemble mean).")


class PostingListItem(BaseModel):
    posting_id: int
    title: str | None
    hiring_organization: str | None
    job_location: str | None
    date_posted: str | None
    url: str | None
    source: Literal["file", "crawl", "usajobs"]
    collected_on: dt.date
    language: str | None
    coding_status: str | None = Field(
        description="coded, not_english (kept, not coded) or no_active_version; null: not coded yet."
    )
    occupation: PostingOccupation | None = Field(description="The top occupation code.")
    low_confidence: bool | None = Field(
        description="The top code's confidence is below the threshold: shown, to be read with care."
    )
    ai_score: Rounded | None = Field(description="The posting's exposure: its top occupation's AI score.")


class PostingList(BaseModel):
    meta: Meta
    pagination: Pagination
    q: str | None
    soc: str | None
    items: list[PostingListItem]


class PostingDetail(PostingListItem):
    meta: Meta
    description: str | None = Field(description="The description as plain text.")
    employment_type: str | None
    valid_through: str | None
    base_salary: dict | None
    occupations: list[PostingOccupation] = Field(description="The top 3 occupation codes.")
    duties: list[PostingDuty]


class PostingToCode(BaseModel):
    title: str = Field(min_length=1, max_length=300, examples=["Warehouse associate"])
    description: str = Field(
        min_length=1,
        max_length=50_000,
        description="The ad's text (plain text or HTML). Duties are read from its lists or bulleted lines, "
        "else from its sentences.",
    )


class CodedPosting(BaseModel):
    meta: Meta
    coder_version: str
    language: str
    note: str | None = Field(description="Why the ad was not coded, or how to read the codes.")
    occupations: list[PostingOccupation]
    low_confidence: bool
    ai_score: Rounded | None = Field(description="The ad's exposure: its top occupation's AI score.")
    duties_from: Literal["list", "sentences", "none"]
    duties: list[PostingDuty] = Field(description="In the ad's order.")
    most_exposed_duties: list[PostingDuty] = Field(
        description="Up to 3 duties with the highest task AI score."
    )
    least_exposed_duties: list[PostingDuty] = Field(
        description="Up to 3 duties with the lowest task AI score."
    )
