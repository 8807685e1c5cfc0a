"""A person's postings: GET /profiles/{id}/postings (ranked for them) and PUT …/postings/{posting_id}/outcome.
Built as dicts in api/routes/profile_postings.py and occurisk_assets/postings/matching/py/"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from api.schemas.common import Pagination

Outcome = Literal["applied", "interview", "offer", "rejected"]


class MatchOccupation(BaseModel):
    soc_code: str
    title: str | None
    confidence: float | None = Field(description="The coder's confidence in this code (0-1).")


class MatchComponents(BaseModel):
    text_similarity: float = Field(description="The ad's words against the person's duties and tasks (0-1).")
    occupation_similarity: float = Field(description="1: the same occupation as one of their jobs.")
    safety: float = Field(description="1 − the posting's exposure (0.5 when unscored).")


class MatchedRequirement(BaseModel):
    kind: Literal["matched_requirement"]
    text: str
    requirement: str = Field(description="A duty of the ad.")
    yours: str = Field(description="The person's duty or task (or the clause of it) that shows it, quoted.")
    status: Literal["shown", "partly_shown"] = Field(description="How far that line shows the duty.")
    similarity: float


class MatchedTask(BaseModel):
    kind: Literal["matched_task"]
    text: str
    task_id: int
    task_statement: str


class OccupationLink(BaseModel):
    kind: Literal["occupation"]
    text: str
    soc_code: str = Field(description="The posting's occupation.")
    title: str | None
    your_soc_code: str | None = Field(description="The person's occupation it is closest to.")
    similarity: float


class ExposureReason(BaseModel):
    kind: Literal["exposure"]
    text: str
    ai_score: float


MatchReason = Annotated[
    MatchedRequirement | MatchedTask | OccupationLink | ExposureReason, Field(discriminator="kind")
]


class CurrentOutcome(BaseModel):
    outcome: Outcome
    updated_at: dt.datetime


class RankedPosting(BaseModel):
    posting_id: int
    title: str | None
    hiring_organization: str | None
    job_location: str | None
    url: str | None
    occupation: MatchOccupation | None = Field(description="The posting's top occupation code.")
    low_confidence: bool | None = Field(
        description="The top code's confidence is below the threshold: shown, to be read with care."
    )
    ai_score: float | None = Field(description="The posting's exposure: its top occupation's AI score.")
    match_score: float = Field(description="Orders the list (0-1); not a probability of being hired.")
    match_score_components: MatchComponents
    reasons: list[MatchReason]
    outcome: CurrentOutcome | None = Field(description="What the person marked; null: nothing yet.")


class ProfilePostings(BaseModel):
    data_version: str
    note: str = Field(description="How to read the match score.")
    weights: dict[str, float] = Field(description="The weights of text, occupation and safety in the score.")
    q: str | None
    pagination: Pagination
    items: list[RankedPosting]


class OutcomeChange(BaseModel):
    outcome: Outcome
    changed_at: dt.datetime


class PostingOutcome(BaseModel):
    posting_id: int
    outcome: Outcome
    updated_at: dt.datetime
    history: list[OutcomeChange] = Field(description="Every outcome marked for the posting, oldest first.")
