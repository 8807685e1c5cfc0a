"""Job postings: the stored postings with their occupation codes and exposure, and coding a pasted ad."""

from __future__ import annotations

import asyncio
import re
from math import ceil
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from psycopg import AsyncConnection

from api.deps import ConnectionDep, VersionDep
from api.metrics import record_coding
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
from occurisk_assets.lib.codes import SOC_CODE_PATTERN
from occurisk_assets.lib.settings import get_settings
from occurisk_assets.postings.cleaning import html_to_text, language_of, listed_duties
from occurisk_assets.postings.coding import (
    CODED_LANGUAGES,
    OCCUPATIONS_SQL,
    TASKS_SQL,
    CoderUnavailable,
    VersionTables,
    code_batch,
    load_coder,
)

router = APIRouter(tags=["postings"])

MAX_SENTENCE_DUTIES = 25
SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")

LIST_SQL = """
SELECT p.posting_id, p.title, p.hiring_organization, p.job_location, p.date_posted, p.url, p.source,
       p.collected_on, p.language, p.coding_status, p.low_confidence, p.ai_score,
       o.rank, o.soc_code, o.title AS occupation_title, o.confidence, o.ai_score AS occupation_ai_score,
       count(*) OVER () AS total
FROM postings.posting p
LEFT JOIN postings.posting_occupation o ON o.posting_id = p.posting_id AND o.rank = 1
WHERE p.status = 'accepted'
  AND (%(q)s::text IS NULL OR p.search @@ plainto_tsquery('english', %(q)s))
  AND (%(soc)s::text IS NULL OR p.soc_code = %(soc)s)
ORDER BY CASE WHEN %(q)s::text IS NULL THEN 0
              ELSE -ts_rank(p.search, plainto_tsquery('english', %(q)s)) END,
         p.collected_on DESC, p.posting_id DESC
LIMIT %(limit)s OFFSET %(offset)s
"""
DETAIL_SQL = """
SELECT p.*, o.rank, o.soc_code AS o_soc, o.title AS occupation_title, o.confidence AS o_confidence,
       o.ai_score AS occupation_ai_score
FROM postings.posting p
LEFT JOIN postings.posting_occupation o ON o.posting_id = p.posting_id AND o.rank = 1
WHERE p.posting_id = %s AND p.status = 'accepted'
"""


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


async def _postings_table_exists(conn: AsyncConnection) -> bool:
    cur = await conn.execute("SELECT to_regclass('postings.posting') IS NOT NULL AS present")
    return (await cur.fetchone())["present"]


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
    rows = []
    if await _postings_table_exists(conn):
        cur = await conn.execute(
            LIST_SQL,
            {
                "q": q.strip() or None if q else None,
                "soc": soc,
                "limit": page_size,
                "offset": (page - 1) * page_size,
            },
        )
        rows = await cur.fetchall()
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
    if not await _postings_table_exists(conn):
        raise HTTPException(404, f"no posting {posting_id}")
    row = await (await conn.execute(DETAIL_SQL, (posting_id,))).fetchone()
    if row is None:
        raise HTTPException(404, f"no posting {posting_id} (or it was rejected or is a duplicate)")
    occupations = await (
        await conn.execute(
            "SELECT rank, soc_code, title, confidence, ai_score FROM postings.posting_occupation "
            "WHERE posting_id = %s ORDER BY rank",
            (posting_id,),
        )
    ).fetchall()
    duties = await (
        await conn.execute(
            "SELECT duty, task_id, task_statement, onetsoc_code, similarity, ai_score FROM postings.posting_duty "
            "WHERE posting_id = %s ORDER BY duty_no",
            (posting_id,),
        )
    ).fetchall()
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


# Coding a pasted ad --------------------------------------------------------------------------------------


async def _version_tables(request: Request, conn: AsyncConnection, version: str) -> VersionTables:
    """The task index of `version`, built once per process (a few seconds for ~19k task statements)."""
    state = request.app.state
    if not hasattr(state, "posting_tables"):
        state.posting_tables, state.posting_tables_lock = {}, asyncio.Lock()
    async with state.posting_tables_lock:
        if version not in state.posting_tables:
            occupations = await (await conn.execute(OCCUPATIONS_SQL, (version,))).fetchall()
            tasks = await (await conn.execute(TASKS_SQL, (version,))).fetchall()
            state.posting_tables.clear()  # one version at a time
            state.posting_tables[version] = await run_in_threadpool(
                VersionTables.from_rows,
                version,
                [(r["soc_code"], r["title"], r["ai_score"]) for r in occupations],
                [(r["task_id"], r["onetsoc_code"], r["task_statement"], r["ai_score"]) for r in tasks],
            )
        return state.posting_tables[version]


def ad_duties(text: str, items: list[str]) -> tuple[list[str], str]:
    duties = listed_duties(text, items, None)
    if duties:
        return duties, "list"
    sentences = [" ".join(s.split()) for s in SENTENCE.split(text)]
    sentences = [s for s in sentences if 4 <= len(s.split()) <= 80][:MAX_SENTENCE_DUTIES]
    return sentences, "sentences" if sentences else "none"


def _duty(d) -> PostingDuty:
    return PostingDuty(
        duty=d.duty,
        task_id=d.task_id,
        task_statement=d.task_statement,
        onetsoc_code=d.onetsoc_code,
        similarity=d.similarity,
        ai_score=d.ai_score,
    )


class AdWithoutText(ValueError):
    """The title or the description has no text once its HTML is removed (names the field)."""

    def __init__(self, field: str):
        super().__init__(f"{field} must contain text")
        self.field = field


async def code_ad(
    request: Request, conn: AsyncConnection, version: str, title: str, description: str
) -> CodedPosting:
    """Code a job ad (also the "Check a job ad" page's work). Raises AdWithoutText, CoderUnavailable."""
    text, items = html_to_text(description)
    title = html_to_text(title)[0].replace("\n", " ")
    if not title.strip():
        raise AdWithoutText("title")
    if not text.strip():
        raise AdWithoutText("description")
    coder = await run_in_threadpool(load_coder, version)
    language = language_of(text)
    duties, duties_from = ad_duties(text, items)
    meta = Meta.for_version(version)
    if language not in CODED_LANGUAGES:
        return CodedPosting(
            meta=meta,
            coder_version=coder.model_version,
            language=language,
            note=f"the ad reads as language '{language}': only English and Korean ads can be coded",
            occupations=[],
            low_confidence=True,
            unsure=True,
            ai_score=None,
            duties_from=duties_from,
            duties=[],
            most_exposed_duties=[],
            least_exposed_duties=[],
        )
    tables = await _version_tables(request, conn, version)
    threshold = get_settings().postings_min_confidence
    [coded] = await run_in_threadpool(code_batch, coder, tables, [(title, text, duties)], threshold)
    record_coding(coded.top.confidence if coded.top else None, coded.low_confidence)
    scored = sorted((d for d in coded.duties if d.ai_score is not None), key=lambda d: -d.ai_score)
    top = coded.top
    return CodedPosting(
        meta=meta,
        coder_version=coder.model_version,
        language=language,
        note=(
            f"low confidence: the best code's confidence is below {threshold:g}; check the other codes"
            if coded.low_confidence
            else None
        ),
        occupations=[PostingOccupation(**o.__dict__) for o in coded.occupations],
        low_confidence=coded.low_confidence,
        unsure=coded.unsure,
        ai_score=top.ai_score if top else None,
        duties_from=duties_from,
        duties=[_duty(d) for d in coded.duties],
        most_exposed_duties=[_duty(d) for d in scored[:3]],
        least_exposed_duties=[_duty(d) for d in scored[::-1][:3]],
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
    try:
        return await code_ad(request, conn, version, body.title, body.description)
    except AdWithoutText as exc:
        raise HTTPException(422, str(exc)) from exc
    except CoderUnavailable as exc:
        raise HTTPException(503, f"the occupation coder is not available: {exc}") from exc
