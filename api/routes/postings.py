"""Job postings: the stored postings with their occupation codes and exposure, and coding a pasted ad."""

from __future__ import annotations

import re
from math import ceil
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from api.deps import ConnectionDep, VersionDep
from api.queries import postings as posting_queries
from api.schemas.common import ERROR_RESPONSES, UNPROCESSABLE, Meta, Pagination
from api.schemas.postings import (
    CodedPosting,
    PostingDetail,
    PostingDuty,
    PostingList,
    PostingListItem,
    PostingOccupation,
    PostingToCode,
)
from api.services import postings
from occurisk_assets.lib.codes import SOC_CODE_PATTERN

router = APIRouter(tags=["postings"])

MAX_SENTENCE_DUTIES = 25
SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")


def _occupation(row: dict, soc: str = "soc_code", conf: str = "confidence") -> PostingOccupation | None:
    if row.get(soc) is None:
        return None
    return PostingOccupation(
        rank=row["rank"],
        soc_code=row[soc],
        title=row["occupation_title"],
        confidence=row[conf],
        ai_score=row["occupation_ai_score"],
    )


def _item(row: dict, occupation: PostingOccupation | None) -> dict:
    return {
        "posting_id": row["posting_id"],
        "title": row["title"],
        "hiring_organization": row["hiring_organization"],
        "job_location": row["job_location"],
        "date_posted": row["date_posted"],
        "url": row["url"],
        "source": row["source"],
        "collected_on": row["collected_on"],
        "language": row["language"],
        "coding_status": row["coding_status"],
        "occupation": occupation,
        "low_confidence": row["low_confidence"],
        "ai_score": row["ai_score"],
    }


@router.get("/postings", response_model=PostingList, responses=ERROR_RESPONSES)
async def list_postings(
    conn: ConnectionDep,
    version: VersionDep,
    q: Annotated[str | None, Query(max_length=200, description="Words of the title or description.")] = None,
    soc: Annotated[
        str | None,
        Query(pattern=SOC_CODE_PATTERN, description="Only postings coded to this SOC code (top code)."),
    ] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> PostingList:
    """Accepted postings (duplicates and rejected ones left out), newest first or by relevance to `q`, each
    with its top occupation code, the coder's confidence (flagged when low) and its exposure."""
    rows = await posting_queries.accepted(conn, q.strip() or None if q else None, soc, page, page_size)
    total = rows[0]["total"] if rows else 0
    return PostingList(
        meta=Meta.for_version(version),
        pagination=Pagination(total=total, page=page, page_size=page_size, pages=ceil(total / page_size)),
        q=q,
        soc=soc,
        items=[PostingListItem(**_item(r, _occupation(r))) for r in rows],
    )


@router.get("/postings/{posting_id}", response_model=PostingDetail, responses=ERROR_RESPONSES)
async def get_posting(
    posting_id: Annotated[int, Path(ge=1, le=2**62)], conn: ConnectionDep, version: VersionDep
) -> PostingDetail:
    """One posting: its text, its top-3 occupation codes and each listed duty's nearest O*NET task."""
    row = await postings.accepted_posting(conn, posting_id)
    occupations = await posting_queries.occupations_of(conn, posting_id)
    duties = await posting_queries.duties_of(conn, posting_id)
    return PostingDetail(
        meta=Meta.for_version(row["data_version"] or version),
        **_item(row, _occupation(row, "o_soc", "o_confidence")),
        description=row["description"],
        employment_type=row["employment_type"],
        valid_through=row["valid_through"],
        base_salary=row["base_salary"],
        occupations=[PostingOccupation(**o) for o in occupations],
        duties=[PostingDuty(**d) for d in duties],
    )


@router.post(
    "/postings/code",
    response_model=CodedPosting,
    responses={**ERROR_RESPONSES, **UNPROCESSABLE},
)
async def code_posting(
    body: PostingToCode, request: Request, conn: ConnectionDep, version: VersionDep
) -> CodedPosting:
    """Code a job ad: its top-3 occupations with the coder's confidence, its exposure (the top
    occupation's AI score) and each duty matched to its nearest O*NET task with that task's score.
    Nothing is stored."""
    return await postings.code_ad(request.app.state, conn, version, body.title, body.description)
