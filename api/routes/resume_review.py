"""'Make your résumé stronger' in the JSON API: suggestions on the saved résumé and accepting one
(api/services/resume_review.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body
from pydantic import BaseModel, Field

from api.assistant_db import AssistantConnectionDep
from api.profile_access import ProfileId
from api.schemas.common import UNPROCESSABLE
from api.schemas.profiles import Resume
from api.schemas.review import ResumeReview
from api.services import resume_review as service
from occurisk_assets.lib.clean_text import CleanText

router = APIRouter(tags=["profiles"])


class ReviewRequest(BaseModel):
    postings: list[CleanText] = Field(
        default_factory=list, max_length=5, description="job postings you pasted (their requirements)"
    )


class AcceptRequest(BaseModel):
    id: str = Field(pattern=r"^[0-9a-f]{12}$", description="a suggestion's id from …/resume/review")


@router.post("/profiles/{profile_id}/resume/review", response_model=ResumeReview, responses=UNPROCESSABLE)
async def review_resume(
    profile_id: ProfileId,
    conn: AssistantConnectionDep,
    body: Annotated[ReviewRequest | None, Body()] = None,
) -> dict:
    """Suggestions for the saved résumé, most helpful first: work your target occupation needs that you
    did but your wording hides, vague openings, age signals (only when you chose the age-neutral form),
    outdated terms, entries too long or too short, and duties with no number; and keyword coverage."""
    body = body or ReviewRequest()
    _, _, suggestions, keywords = await service.reviewed(conn, profile_id, body.postings)
    return {"suggestions": [s.as_dict() for s in suggestions], "keywords": keywords}


@router.post(
    "/profiles/{profile_id}/resume/review/accept",
    response_model=Resume,
    response_model_exclude_unset=True,
    responses=UNPROCESSABLE,
)
async def accept_suggestion(profile_id: ProfileId, body: AcceptRequest, conn: AssistantConnectionDep) -> dict:
    """Make one suggestion's change to the saved résumé (checked: it adds no fact) and return the résumé."""
    return await service.accept(conn, profile_id, body.id)
