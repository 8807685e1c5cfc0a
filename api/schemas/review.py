"""'Make your résumé stronger': POST /profiles/{id}/resume/review and …/review/accept."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class ReviewSuggestion(BaseModel):
    id: str = Field(description="Send it to …/review/accept to make this change to the saved résumé.")
    kind: Literal["hidden", "vague_verb", "age", "outdated", "long", "short", "no_number"]
    job: str | None = Field(description="The job the line sits under; null for the summary or free text.")
    before: str = Field(description='The line as the résumé has it ("" when the suggestion adds a line).')
    after: str | None = Field(description="The line to use instead; null: a question only you can answer.")
    acceptable: bool


class KeywordCoverage(BaseModel):
    keyword: str
    found: bool
    source: Literal["occupation", "posting"]


class ResumeReview(BaseModel):
    suggestions: list[ReviewSuggestion] = Field(description="Most helpful first.")
    keywords: list[KeywordCoverage] = Field(
        description="The target occupation's skills and the postings' requirements, and whether the résumé "
        "has each: a short list to read, not a score."
    )
