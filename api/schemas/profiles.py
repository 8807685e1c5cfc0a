"""A person's profile and what the assistant makes of it (/profiles/{id}, …/exposure, …/transitions, …/resume,
…/cover-letter). The routes build these answers as dicts (occurisk_assets/defs/assistant); the models
document them, field for field, in the order they are written."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from api.schemas.careers import CarriedOver, SkillGap


class ProfileJob(BaseModel):
    soc_code: str = Field(description="The job's SOC occupation code.")
    title: str
    employer: str | None
    start_year: int | None
    end_year: int | None = Field(description="null: still in this job.")
    duties: list[str] = Field(description="Duties in the person's own words.")
    task_ids: list[int] = Field(description="The O*NET tasks the person ticked, by id.")


class Profile(BaseModel):
    id: str = Field(description="The profile's random id: the only way back to it.")
    data_version: str = Field(description="The O*NET release the profile was made with.")
    target_soc_code: str | None = Field(description="The occupation the résumé aims at, if any.")
    age_neutral: bool = Field(description="Résumés leave out years and list old jobs as earlier experience.")
    llm_opt_in: bool = Field(description="The person agreed to send their text to an LLM provider.")
    created_at: dt.datetime
    last_opened_at: dt.datetime = Field(description="Opening the profile restarts its 30-day retention.")
    jobs: list[ProfileJob] = Field(description="The work history, in the order it was given.")


class JobExposure(BaseModel):
    ordinal: int = Field(description="The job's place in the work history (0 = first).")
    title: str
    soc_code: str
    occupation_title: str | None
    years: int = Field(description="The job's weight: its length in years (at least 1).")
    score: float | None = Field(
        description="The job's exposure 0-1 over its ticked tasks (by O*NET weight); null: none scored."
    )
    occupation_score: float | None = Field(description="The occupation's AI score, for comparison.")
    tasks_scored: int
    tasks_unscored: int = Field(description="Ticked tasks without an AI score.")
    own_duties_unscored: int = Field(description="Duties in the person's own words: counted, not scored.")


class RaterScore(BaseModel):
    model: str
    score: float | None


class ExposedTask(BaseModel):
    task_id: int
    task_statement: str
    job_ordinal: int = Field(description="The job the task was ticked in.")
    score: float | None = Field(description="The task's AI score (ensemble mean, 0-1).")
    raters: list[RaterScore] = Field(description="Each rater's score of the task.")


class Exposure(BaseModel):
    data_version: str
    score: float | None = Field(
        description="The person's exposure 0-1: their jobs' scores weighted by years; null when no ticked "
        "task is scored."
    )
    occupation_average: float | None = Field(
        description="Their occupations' AI scores with the same year weights, for comparison."
    )
    weighting: str = Field(description="How the score weighs tasks and jobs, in words.")
    jobs: list[JobExposure]
    most_exposed: list[ExposedTask] = Field(description="Up to 5 ticked tasks with the highest scores.")
    least_exposed: list[ExposedTask] = Field(description="Up to 5 ticked tasks with the lowest scores.")


class SharedActivitiesSkillGap(BaseModel):
    skill: str
    needed_level: float = Field(description="Level the target needs (O*NET LV, 0-7).")
    your_level: float = Field(description="The highest level any of the person's occupations needs.")


class SharedActivitiesMove(BaseModel):
    soc_code: str
    title: str
    score: float = Field(description="The target's AI score (0-1).")
    shared_activities: int = Field(description="The person's detailed work activities the target shares.")
    my_activities: int = Field(description="The person's detailed work activities (their ticked tasks').")
    carried_activities: list[str] = Field(description="Up to 5 of the shared activities.")
    safer: bool | None = Field(description="Less exposed than the person's own occupations.")
    carried_share: float = Field(description="shared_activities / my_activities.")
    skill_gaps: list[SharedActivitiesSkillGap]


class CareersMove(BaseModel):
    from_soc_code: str = Field(description="The person's occupation the move starts from.")
    soc_code: str
    title: str
    transition_score: float | None = Field(description="The careers domain's score of the move.")
    similarity: float | None
    score: float | None = Field(description="The target's AI score (0-1).")
    ai_score_change: float | None = Field(
        description="Target minus current AI score (negative: less exposed)."
    )
    safer: bool | None
    carries_over: list[CarriedOver]
    skill_gaps: list[SkillGap]
    carried_share: float = Field(description="Share of the person's own work activities the target shares.")
    carried_activities: list[str] = Field(description="Up to 5 of the shared activities.")


class SharedActivitiesTransitions(BaseModel):
    data_version: str
    method: Literal["shared_activities"] = Field(
        description="The version has no careers transitions built: occupations sharing the person's work "
        "activities."
    )
    transitions: list[SharedActivitiesMove]


class CareersTransitions(BaseModel):
    data_version: str
    method: Literal["occupation_transitions"] = Field(
        description="The careers transitions, re-ranked by the share of the person's own work they keep."
    )
    transitions: list[CareersMove]


PersonalTransitions = Annotated[
    SharedActivitiesTransitions | CareersTransitions, Field(discriminator="method")
]


class ResumeJob(BaseModel):
    title: str
    employer: str | None
    dates: str | None = Field(description='"2001–2024", "2019–present"; null when left out or unknown.')
    bullets: list[str]
    earlier: bool = Field(description="Age-neutral: listed under earlier experience, without dates.")
    heading: str


class ResumeNote(BaseModel):
    key: str = Field(description="Which note (no_llm, over_budget, reworded, edited, …).")
    values: dict[str, str] = Field(description="The values the note's text names.")


class Resume(BaseModel):
    summary: str
    jobs: list[ResumeJob]
    skills: list[str] = Field(description="O*NET skills the person's tasks support.")
    age_neutral: bool
    target: str | None = Field(description="The target occupation's title, when there is one.")
    notes: list[str] = Field(description="What happened to the draft, in words.")
    note_keys: list[ResumeNote]
    mode: str = Field(description='"offline", or "llm:<model>" when an LLM reworded it.')
    text: str = Field(description="The draft as plain text.")
    edited_text: str | None = Field(
        default=None, description="Present only when the request sent `text`: the person's edit, as is."
    )


class Requirement(BaseModel):
    requirement: str = Field(description="A single demand of the posting.")
    status: Literal["shown", "partly_shown", "not_shown"] = Field(
        description="How far the person's lines show it (by meaning; a language, licence, certificate or "
        "named product only when the line names it)."
    )
    met: bool = Field(description="status is shown.")
    evidence: str | None = Field(description="The résumé line (or the clause of it) that shows it.")


class CoverLetter(BaseModel):
    text: str
    checklist: list[Requirement]
