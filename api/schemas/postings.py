"""Job postings (occurisk_assets/defs/postings; docs/postings.md): GET /postings, /postings/{id}, POST /postings/code."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from api.schemas.common import Meta, Pagination, Rounded
from occurisk_assets.lib.clean_text import CleanText


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
        description="coded, not_english (neither English nor Korean: kept, not coded) or no_active_version; "
        "null: not coded yet."
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
    title: CleanText = Field(min_length=1, max_length=300, examples=["Warehouse associate"])
    description: CleanText = Field(
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
    unsure: bool = Field(
        description="The coder is not sure which of the occupations it is (best confidence under 0.3, or the "
        "best two within 0.1)."
    )
    ai_score: Rounded | None = Field(description="The ad's exposure: its top occupation's AI score.")
    duties_from: Literal["list", "sentences", "none"]
    duties: list[PostingDuty] = Field(description="In the ad's order.")
    most_exposed_duties: list[PostingDuty] = Field(
        description="Up to 3 duties with the highest task AI score."
    )
    least_exposed_duties: list[PostingDuty] = Field(
        description="Up to 3 duties with the lowest task AI score."
    )
