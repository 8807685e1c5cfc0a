"""The O*NET versions' SQL: the served versions, their build status and their diff reports."""

from __future__ import annotations

from psycopg import AsyncConnection


async def versions(conn: AsyncConnection) -> list[dict]:
    cur = await conn.execute(
        """SELECT d.id, d.release_date, d.is_active, d.loaded_at, d.built_at,
                  coalesce(n.n_occupations, 0) AS n_occupations, coalesce(n.n_scored, 0) AS n_scored
           FROM core.data_version d
           LEFT JOIN (SELECT data_version, count(*) AS n_occupations, count(ai_rank) AS n_scored
                      FROM marts.occupation_summary GROUP BY data_version) n ON n.data_version = d.id
           WHERE d.loaded_at IS NOT NULL AND d.build_status = 'complete'
           ORDER BY core.version_sort_key(d.id)"""
    )
    return await cur.fetchall()


async def diff_reports(conn: AsyncConnection) -> list[dict]:
    """Every stored version diff report, newest version first (empty before the first one)."""
    cur = await conn.execute("SELECT to_regclass('core.version_diff') IS NOT NULL AS built")
    if not (await cur.fetchone())["built"]:
        return []
    cur = await conn.execute("SELECT data_version, report, created_at FROM core.version_diff")
    return await cur.fetchall()


async def diff_report(conn: AsyncConnection, data_version: str) -> dict | None:
    """A version's diff report (report, markdown, created_at), or None (before the first report the table
    does not exist yet: that is "no report", not "database not built")."""
    cur = await conn.execute("SELECT to_regclass('core.version_diff') IS NOT NULL AS built")
    if not (await cur.fetchone())["built"]:
        return None
    cur = await conn.execute(
        "SELECT report, markdown, created_at FROM core.version_diff WHERE data_version = %s",
        (data_version,),
    )
    return await cur.fetchone()


async def build_status(conn: AsyncConnection, data_version: str) -> str | None:
    cur = await conn.execute("SELECT build_status FROM core.data_version WHERE id = %s", (data_version,))
    row = await cur.fetchone()
    return row["build_status"] if row else None
