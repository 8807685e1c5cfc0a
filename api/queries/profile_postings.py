"""The SQL of a person's postings: the candidates ranked for them (postings.*, read role), the outcomes
they marked (assistant.*, assistant role)."""

from __future__ import annotations

from psycopg import AsyncConnection

from api.queries.postings import table_exists
from occurisk_assets.postings.matching import CANDIDATES_SQL, MAX_CANDIDATES, SIMILARITY_SQL


async def task_statements(conn: AsyncConnection, version: str, task_ids: list[int]) -> list[tuple]:
    """(task_id, task_statement) of the person's ticked tasks, by id."""
    cur = await conn.execute(
        "SELECT task_id, task_statement FROM marts.task_statements WHERE data_version = %s AND task_id = ANY(%s) "
        "ORDER BY task_id",
        [version, task_ids],
    )
    return await cur.fetchall()


async def candidates(
    platform: AsyncConnection, version: str, q: str | None, soc_codes: list[str]
) -> tuple[list[tuple], list[tuple]]:
    """(candidate postings, occupation similarities) for the ranking; both empty before the first collection."""
    if not await table_exists(platform):
        return [], []
    cur = await platform.execute(CANDIDATES_SQL, {"version": version, "q": q, "limit": MAX_CANDIDATES})
    found = [tuple(r.values()) for r in await cur.fetchall()]
    cur = await platform.execute(SIMILARITY_SQL, (version, soc_codes))
    return found, [tuple(r.values()) for r in await cur.fetchall()]


async def outcomes(conn: AsyncConnection, profile_id: str, posting_ids: list[int]) -> dict[int, dict]:
    cur = await conn.execute(
        "SELECT posting_id, outcome, updated_at FROM assistant.posting_outcome "
        "WHERE profile_id = %s AND posting_id = ANY(%s)",
        [profile_id, posting_ids],
    )
    return {r[0]: {"outcome": r[1], "updated_at": r[2]} for r in await cur.fetchall()}


async def profile_exists(conn: AsyncConnection, profile_id: str) -> bool:
    cur = await conn.execute("SELECT 1 FROM assistant.profile WHERE id = %s", [profile_id])
    return await cur.fetchone() is not None


async def record_outcome(conn: AsyncConnection, profile_id: str, posting_id: int, outcome: str) -> tuple:
    """Store the current outcome and its change in one transaction; (updated_at, every change so far)."""
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
    return updated_at, [{"outcome": r[0], "changed_at": r[1]} for r in await cur.fetchall()]
