"""Careers: similar occupations and transitions (GET /occupations/{soc_code}/similar, /transitions)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from api.schemas.common import AIScore, BlsFlag, Meta, Rounded


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
        """From a row of api.queries.careers.transitions."""
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
