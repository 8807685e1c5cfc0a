"""The SQL of the careers endpoints (similar occupations, transitions), reusable by any caller with an async
connection: the JSON routes (api/routes/careers.py), the occupation detail and the pages. Each reads one
data_version, by an index of careers.occupation_similarity or marts.occupation_transitions."""

from __future__ import annotations

from psycopg import AsyncConnection

from occurisk_assets.careers.similarity import COMPONENTS
from occurisk_assets.careers.transitions import TransitionFilters

AI_COLUMNS = "o.ai_mean, o.ai_std, o.ai_coverage, o.ai_n_tasks_scored"


async def source_occupation(conn: AsyncConnection, version: str, soc_code: str) -> dict | None:
    """The SOC a list is for (title, AI score, job zone, median wage), or None when the version lacks it."""
    cur = await conn.execute(
        f"""SELECT o.soc_code, o.title, o.job_zone, {AI_COLUMNS},
                   b.median_annual_wage, b.median_annual_wage_flag
            FROM marts.occupation_summary o
            LEFT JOIN marts.soc_bls_metrics b ON b.data_version = o.data_version AND b.soc_code = o.soc_code
            WHERE o.data_version = %(v)s AND o.soc_code = %(soc)s""",
        {"v": version, "soc": soc_code},
    )
    return await cur.fetchone()


async def similarity_build(conn: AsyncConnection, version: str) -> dict | None:
    """Which components the version's similarity used, their weights, and the recall figure."""
    cur = await conn.execute(
        "SELECT top_k, components, related_recall FROM careers.similarity_build WHERE data_version = %s",
        (version,),
    )
    return await cur.fetchone()


async def similar_occupations(conn: AsyncConnection, version: str, soc_code: str, limit: int) -> list[dict]:
    """The SOC's most similar SOCs, most similar first, with each component and the target's AI score."""
    cur = await conn.execute(
        f"""SELECT s.similar_soc_code AS soc_code, o.title, s.similarity, s.similarity_rank,
                   {", ".join(f"s.{c}" for c in COMPONENTS)}, s.onet_related_tier, {AI_COLUMNS}
            FROM careers.occupation_similarity s
            JOIN marts.occupation_summary o ON o.data_version = s.data_version AND o.soc_code = s.similar_soc_code
            WHERE s.data_version = %(v)s AND s.soc_code = %(soc)s
            ORDER BY s.similarity_rank
            LIMIT %(limit)s""",
        {"v": version, "soc": soc_code, "limit": limit},
    )
    return await cur.fetchall()


async def transitions(
    conn: AsyncConnection, version: str, soc_code: str, filters: TransitionFilters, limit: int
) -> list[dict]:
    """Moves from the SOC passing `filters`, best transition_score first; each row carries `total`, the
    number of moves passing the filters."""
    condition, params = filters.where("t")
    cur = await conn.execute(
        f"""SELECT t.target_soc_code AS soc_code, t.target_title AS title, t.similarity, t.similarity_rank,
                   t.transition_score, t.target_ai_mean, t.target_ai_std, t.ai_score_change,
                   t.ai_score_uncertainty, t.is_safer, t.wage_ratio, t.target_median_wage,
                   t.target_median_wage_flag, t.target_job_zone, t.job_zone_change, t.growth_pct,
                   t.annual_openings, t.carries_over, t.skill_gaps, t.onet_related_tier,
                   count(*) OVER () AS total
            FROM marts.occupation_transitions t
            WHERE t.data_version = %(v)s AND t.soc_code = %(soc)s AND {condition}
            ORDER BY t.transition_score DESC, t.target_soc_code
            LIMIT %(limit)s""",
        {"v": version, "soc": soc_code, "limit": limit, **params},
    )
    return await cur.fetchall()


async def no_transition_reason(
    conn: AsyncConnection, version: str, soc_code: str, filters: TransitionFilters
) -> str:
    """Why the SOC has no move passing `filters` (a key of transitions.REASONS)."""
    query, params = filters.reasons_sql(one_soc=True)
    cur = await conn.execute(query, {"v": version, "soc": soc_code, **params})
    row = await cur.fetchone()
    return row["reason"] if row else "no_candidates"
