"""A person's postings: the coded postings ranked for their profile, each with its reasons and the
outcome they marked (applied / interview / offer / rejected). The profile and its outcomes are personal
data, read and written through the assistant role; the postings through the read API's role."""

from __future__ import annotations

from math import ceil
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from api.assistant_db import AssistantConnectionDep
from api.deps import ConnectionDep
from api.profile_access import NOT_FOUND, ProfileId, profile_or_404
from api.schemas.profile_postings import PostingOutcome, ProfilePostings
from occurisk_assets.defs.assistant.profiles import socs_of, task_ids_of
from occurisk_assets.defs.postings.matching import (
    CANDIDATES_SQL,
    MAX_CANDIDATES,
    NOT_A_PROBABILITY,
    SIMILARITY_SQL,
    WEIGHTS,
    Person,
    rank,
)

router = APIRouter(tags=["profiles"])

Outcome = Literal["applied", "interview", "offer", "rejected"]
PostingId = Annotated[int, Path(ge=1, le=2**62)]


class OutcomeIn(BaseModel):
    outcome: Outcome


async def _person(conn, row: dict) -> Person:
    task_ids = task_ids_of(row)
    cur = await conn.execute(
        "SELECT task_id, task_statement FROM marts.task_statements WHERE data_version = %s AND task_id = ANY(%s) "
        "ORDER BY task_id",
        [row["data_version"], task_ids],
    )
    tasks = await cur.fetchall()
    return Person(
        soc_codes=socs_of(row),
        duties=[d for job in row["jobs"] for d in job["duties"]],
        task_ids=[t[0] for t in tasks],
        task_statements=[t[1] for t in tasks],
    )


async def _outcomes(conn, profile_id: str, posting_ids: list[int]) -> dict[int, dict]:
    cur = await conn.execute(
        "SELECT posting_id, outcome, updated_at FROM assistant.posting_outcome "
        "WHERE profile_id = %s AND posting_id = ANY(%s)",
        [profile_id, posting_ids],
    )
    return {r[0]: {"outcome": r[1], "updated_at": r[2]} for r in await cur.fetchall()}


async def _postings_table_exists(conn) -> bool:
    cur = await conn.execute("SELECT to_regclass('postings.posting') IS NOT NULL AS present")
    return (await cur.fetchone())["present"]


OUTCOMES: tuple[str, ...] = Outcome.__args__


class UnknownPosting(LookupError):
    """No accepted posting has this id (it never existed, or it was rejected, or is a duplicate)."""

    def __init__(self, posting_id: int):
        super().__init__(f"posting_id: no posting {posting_id} (or it was rejected or is a duplicate)")
        self.posting_id = posting_id


async def postings_for(conn, platform, row: dict, q: str | None, page: int, page_size: int) -> dict:
    """The ranked postings of the profile `row` (one page of them), with their reasons and outcomes; the
    JSON answer of GET /profiles/{id}/postings, which the person's postings page shows too."""
    person = await _person(conn, row)
    q = q.strip() or None if q else None
    candidates, similarities = [], []
    if await _postings_table_exists(platform):
        cur = await platform.execute(
            CANDIDATES_SQL, {"version": row["data_version"], "q": q, "limit": MAX_CANDIDATES}
        )
        candidates = [tuple(r.values()) for r in await cur.fetchall()]
        cur = await platform.execute(SIMILARITY_SQL, (row["data_version"], person.soc_codes))
        similarities = [tuple(r.values()) for r in await cur.fetchall()]
    page_slice = slice((page - 1) * page_size, page * page_size)
    ranked = await run_in_threadpool(rank, candidates, similarities, person, page_slice)
    shown = ranked[page_slice]
    outcomes = await _outcomes(conn, row["id"], [m.posting_id for m in shown])
    return {
        "data_version": row["data_version"],
        "note": NOT_A_PROBABILITY,
        "weights": WEIGHTS,
        "q": q,
        "pagination": {
            "total": len(ranked),
            "page": page,
            "page_size": page_size,
            "pages": ceil(len(ranked) / page_size),
        },
        "items": [
            {
                "posting_id": m.posting_id,
                "title": m.title,
                "hiring_organization": m.hiring_organization,
                "job_location": m.job_location,
                "url": m.url,
                "occupation": {"soc_code": m.soc_code, "title": m.occupation_title} if m.soc_code else None,
                "ai_score": m.ai_score,
                "match_score": m.match_score,
                "match_score_components": {
                    "text_similarity": m.text_similarity,
                    "occupation_similarity": m.occupation_similarity,
                    "safety": m.safety,
                },
                "reasons": [{"kind": r.kind, "text": r.text, **r.details} for r in m.reasons],
                "outcome": outcomes.get(m.posting_id),
            }
            for m in shown
        ],
    }


async def record_outcome(conn, platform, profile_id: str, posting_id: int, outcome: str) -> dict:
    """Store what came of a posting for an existing profile: its current outcome and the change (with its
    time). UnknownPosting when no accepted posting has that id."""
    exists = await _postings_table_exists(platform)
    if exists:
        cur = await platform.execute(
            "SELECT 1 AS found FROM postings.posting WHERE posting_id = %s AND status = 'accepted'",
            [posting_id],
        )
        exists = await cur.fetchone() is not None
    if not exists:
        raise UnknownPosting(posting_id)
    async with conn.transaction():
        cur = await conn.execute(
            "INSERT INTO assistant.posting_outcome (profile_id, posting_id, outcome) VALUES (%s, %s, %s) "
            "ON CONFLICT (profile_id, posting_id) DO UPDATE SET outcome = EXCLUDED.outcome, "
            "updated_at = clock_timestamp() RETURNING updated_at",
            [profile_id, posting_id, outcome],
        )
        (updated_at,) = await cur.fetchone()
        await conn.execute(
            "INSERT INTO assistant.posting_outcome_change (profile_id, posting_id, outcome) VALUES (%s, %s, %s)",
            [profile_id, posting_id, outcome],
        )
    cur = await conn.execute(
        "SELECT outcome, changed_at FROM assistant.posting_outcome_change "
        "WHERE profile_id = %s AND posting_id = %s ORDER BY changed_at",
        [profile_id, posting_id],
    )
    history = [{"outcome": r[0], "changed_at": r[1]} for r in await cur.fetchall()]
    return {"posting_id": posting_id, "outcome": outcome, "updated_at": updated_at, "history": history}


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
    row = await profile_or_404(conn, profile_id)
    return await postings_for(conn, platform, row, q, page, page_size)


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
    cur = await conn.execute("SELECT 1 FROM assistant.profile WHERE id = %s", [profile_id])
    if await cur.fetchone() is None:
        raise HTTPException(404, NOT_FOUND)
    try:
        return await record_outcome(conn, platform, profile_id, posting_id, body.outcome)
    except UnknownPosting as exc:
        raise HTTPException(404, str(exc)) from exc
