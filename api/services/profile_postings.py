"""A person's postings: the coded postings ranked for their profile, each with its reasons and the outcome
they marked; the work of GET/PUT /profiles/{id}/postings… and of the postings step under /my-work. The
profile and its outcomes are read and written through the assistant role; the postings through the read
API's role. Raises domain errors (api/services/errors.py)."""

from __future__ import annotations

from math import ceil
from typing import Literal

from fastapi.concurrency import run_in_threadpool

from api.queries import postings as posting_queries
from api.queries import profile_postings as queries
from api.services import profiles
from api.services.errors import NotFound
from occurisk_assets.assistant.profiles import socs_of, task_ids_of
from occurisk_assets.postings.matching import NOT_A_PROBABILITY, WEIGHTS, Person, rank

Outcome = Literal["applied", "interview", "offer", "rejected"]


async def _person(conn, row: dict) -> Person:
    tasks = await queries.task_statements(conn, row["data_version"], task_ids_of(row))
    return Person(
        soc_codes=socs_of(row),
        duties=[d for job in row["jobs"] for d in job["duties"]],
        task_ids=[t[0] for t in tasks],
        task_statements=[t[1] for t in tasks],
    )


OUTCOMES: tuple[str, ...] = Outcome.__args__


class UnknownPosting(NotFound):
    """No accepted posting has this id (it never existed, or it was rejected, or is a duplicate)."""

    def __init__(self, posting_id: int):
        super().__init__(
            f"posting_id: no posting {posting_id} (or it was rejected or is a duplicate)", "posting_id"
        )
        self.posting_id = posting_id


async def postings_for(conn, platform, row: dict, q: str | None, page: int, page_size: int) -> dict:
    """The ranked postings of the profile `row` (one page of them), with their reasons and outcomes; the
    JSON answer of GET /profiles/{id}/postings, which the person's postings page shows too."""
    person = await _person(conn, row)
    q = q.strip() or None if q else None
    candidates, similarities = await queries.candidates(platform, row["data_version"], q, person.soc_codes)
    page_slice = slice((page - 1) * page_size, page * page_size)
    ranked = await run_in_threadpool(rank, candidates, similarities, person, page_slice)
    shown = ranked[page_slice]
    outcomes = await queries.outcomes(conn, row["id"], [m.posting_id for m in shown])
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
                "occupation": {
                    "soc_code": m.soc_code,
                    "title": m.occupation_title,
                    "confidence": m.confidence,
                }
                if m.soc_code
                else None,
                "low_confidence": m.low_confidence,
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
    time). NotFound when there is no such profile; UnknownPosting when no accepted posting has that id."""
    if not await queries.profile_exists(conn, profile_id):
        raise NotFound(profiles.NOT_FOUND, "profile_id")
    if not await posting_queries.is_accepted(platform, posting_id):
        raise UnknownPosting(posting_id)
    updated_at, history = await queries.record_outcome(conn, profile_id, posting_id, outcome)
    return {"posting_id": posting_id, "outcome": outcome, "updated_at": updated_at, "history": history}
