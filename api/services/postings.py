"""Job postings as the JSON routes and the "Check a job ad" page use them: an accepted posting, and coding
a pasted ad. Raises domain errors (api/services/errors.py)."""

from __future__ import annotations

import asyncio
import re

from fastapi.concurrency import run_in_threadpool
from psycopg import AsyncConnection

from api.metrics import record_coding
from api.queries import postings as posting_queries
from api.schemas.common import Meta
from api.schemas.postings import CodedPosting, PostingDuty, PostingOccupation
from api.services.errors import Invalid, NotFound, Unavailable
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

MAX_SENTENCE_DUTIES = 25
SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")


async def accepted_posting(conn: AsyncConnection, posting_id: int) -> dict:
    """An accepted posting with its top occupation; NotFound for any other id."""
    row = await posting_queries.accepted_one(conn, posting_id)
    if row is None:
        raise NotFound(f"no posting {posting_id} (or it was rejected or is a duplicate)", "posting_id")
    return row


# Coding a pasted ad --------------------------------------------------------------------------------------


async def _version_tables(state, conn: AsyncConnection, version: str) -> VersionTables:
    """The task index of `version`, built once per process (a few seconds for ~19k task statements) and
    kept on the app's `state`."""
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


class AdWithoutText(Invalid):
    """The title or the description has no text once its HTML is removed (names the field)."""

    def __init__(self, field: str):
        super().__init__(f"{field} must contain text", field)


async def code_ad(state, conn: AsyncConnection, version: str, title: str, description: str) -> CodedPosting:
    """Code a job ad (the JSON route's and the "Check a job ad" page's work); `state`: the app's, where the
    task index is kept. Raises AdWithoutText, Unavailable (the coder is not there)."""
    text, items = html_to_text(description)
    title = html_to_text(title)[0].replace("\n", " ")
    if not title.strip():
        raise AdWithoutText("title")
    if not text.strip():
        raise AdWithoutText("description")
    try:
        coder = await run_in_threadpool(load_coder, version)
    except CoderUnavailable as exc:
        raise Unavailable(f"the occupation coder is not available: {exc}") from exc
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
    tables = await _version_tables(state, conn, version)
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
