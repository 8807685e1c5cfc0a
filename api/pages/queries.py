"""The SQL only the pages need; everything else they read through api.queries, like the JSON API."""

from __future__ import annotations

from psycopg import AsyncConnection

# More than any SOC code has: the occupation page shows every task.
ALL_TASKS = 10_000


async def suggestions(conn: AsyncConnection, version: str, query_norm: str, limit: int = 3) -> list[str]:
    """Titles nearest to a search that matched nothing ("did you mean"), by trigram similarity."""
    cur = await conn.execute(
        """SELECT term FROM (
               SELECT DISTINCT ON (term_norm) term, similarity(term_norm, %(q)s) AS closeness
               FROM marts.occupation_search_terms
               WHERE data_version = %(v)s AND term_norm %% %(q)s
               ORDER BY term_norm, closeness DESC) near
           ORDER BY closeness DESC, term LIMIT %(limit)s""",
        {"v": version, "q": query_norm, "limit": limit},
    )
    return [row["term"] for row in await cur.fetchall()]


async def title_of(conn: AsyncConnection, version: str, soc_code: str) -> str | None:
    cur = await conn.execute(
        "SELECT title FROM marts.occupation_summary WHERE data_version = %s AND soc_code = %s",
        (version, soc_code),
    )
    row = await cur.fetchone()
    return row["title"] if row else None


async def diff_reports(conn: AsyncConnection) -> list[dict]:
    """Every stored version diff report, newest version first (empty before the first one)."""
    cur = await conn.execute("SELECT to_regclass('core.version_diff') IS NOT NULL AS built")
    if not (await cur.fetchone())["built"]:
        return []
    cur = await conn.execute("SELECT data_version, report, created_at FROM core.version_diff")
    return await cur.fetchall()
