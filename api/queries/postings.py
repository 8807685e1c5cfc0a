"""The stored postings' SQL (postings.*, read through the API's read role)."""

from __future__ import annotations

from psycopg import AsyncConnection

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


async def table_exists(conn: AsyncConnection) -> bool:
    """Whether the postings store exists yet (before the first collection it does not)."""
    cur = await conn.execute("SELECT to_regclass('postings.posting') IS NOT NULL AS present")
    return (await cur.fetchone())["present"]


async def accepted(
    conn: AsyncConnection, q: str | None, soc: str | None, page: int, page_size: int
) -> list[dict]:
    """One page of accepted postings, by relevance to `q` or newest first; each row carries the `total`."""
    if not await table_exists(conn):
        return []
    cur = await conn.execute(
        LIST_SQL, {"q": q, "soc": soc, "limit": page_size, "offset": (page - 1) * page_size}
    )
    return await cur.fetchall()


async def accepted_one(conn: AsyncConnection, posting_id: int) -> dict | None:
    if not await table_exists(conn):
        return None
    return await (await conn.execute(DETAIL_SQL, (posting_id,))).fetchone()


async def occupations_of(conn: AsyncConnection, posting_id: int) -> list[dict]:
    cur = await conn.execute(
        "SELECT rank, soc_code, title, confidence, ai_score FROM postings.posting_occupation "
        "WHERE posting_id = %s ORDER BY rank",
        (posting_id,),
    )
    return await cur.fetchall()


async def duties_of(conn: AsyncConnection, posting_id: int) -> list[dict]:
    cur = await conn.execute(
        "SELECT duty, task_id, task_statement, onetsoc_code, similarity, ai_score FROM postings.posting_duty "
        "WHERE posting_id = %s ORDER BY duty_no",
        (posting_id,),
    )
    return await cur.fetchall()


async def is_accepted(conn: AsyncConnection, posting_id: int) -> bool:
    if not await table_exists(conn):
        return False
    cur = await conn.execute(
        "SELECT 1 AS found FROM postings.posting WHERE posting_id = %s AND status = 'accepted'", [posting_id]
    )
    return await cur.fetchone() is not None
