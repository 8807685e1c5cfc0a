"""A person's postings: the coded postings ranked for their profile, each with its reasons and the
outcome they marked (applied / interview / offer / rejected). The profile and its outcomes are personal
data, read and written through the assistant role; the postings through the read API's role."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from api.assistant_db import AssistantConnectionDep
from api.deps import ConnectionDep
from api.profile_access import ProfileId
from api.schemas.profile_postings import PostingOutcome, ProfilePostings
from api.services import profile_postings as service
from api.services import profiles
from api.services.profile_postings import Outcome

router = APIRouter(tags=["profiles"])

PostingId = Annotated[int, Path(ge=1, le=2**62)]


class OutcomeIn(BaseModel):
    outcome: Outcome


@router.get("/profiles/{profile_id}/postings", response_model=ProfilePostings)
async def profile_postings(
    profile_id: ProfileId,
    conn: AssistantConnectionDep,
    platform: ConnectionDep,
    q: Annotated[str | None, Query(max_length=200, description="Only postings whose text matches.")] = None,
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=50)] = 10,
) -> dict:
    """The coded postings of the profile's O*NET version ranked for this person, best first, by a **match
    score** = 0.5 × text similarity (the ad against their duties and tasks) + 0.3 × occupation similarity
    (the same occupation as one of their jobs, else careers' occupation similarity) + 0.2 × (1 − exposure).
    Each result carries the components, its reasons (matched requirements, matched O*NET tasks, the
    occupation link, its exposure) and the outcome the person marked. The match score is not a probability
    of being hired."""
    row = await profiles.load(conn, profile_id)
    return await service.postings_for(conn, platform, row, q, page, page_size)


@router.put("/profiles/{profile_id}/postings/{posting_id}/outcome", response_model=PostingOutcome)
async def mark_outcome(
    profile_id: ProfileId,
    posting_id: PostingId,
    body: OutcomeIn,
    conn: AssistantConnectionDep,
    platform: ConnectionDep,
) -> dict:
    """Mark what came of a posting: `applied`, `interview`, `offer` or `rejected`. The current outcome and
    every change (with its time) are kept with the profile and deleted with it."""
    return await service.record_outcome(conn, platform, profile_id, posting_id, body.outcome)
