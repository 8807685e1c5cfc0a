"""The tasks' SQL: one task with its scores, an occupation's tasks."""

from __future__ import annotations

from psycopg import AsyncConnection
from psycopg.rows import dict_row


async def task(conn: AsyncConnection, version: str, task_id: int) -> dict | None:
    """One task in one statement: catalog row and ensemble, and as JSON arrays the occupation(s) it belongs
    to and every score of it by model and run (latest run first), marking those the ensemble uses."""
    cur = await conn.execute(
        """SELECT c.task_id, c.task_statement AS statement, c.task_type, c.importance, c.relevance, c.frequency,
                  CASE WHEN e.task_id IS NOT NULL THEN json_build_object(
                      'mean', e.mean, 'std', e.std, 'min', e.min, 'max', e.max, 'n_models', e.n_models)
                  END AS ensemble,
                  json_build_array(json_build_object(
                      'soc_code', c.soc_code, 'soc_title', s.title, 'onetsoc_code', c.onetsoc_code,
                      'title', c.occupation_title, 'weight', w.weight, 'weight_method', w.weight_method))
                      AS occupations,
                  (SELECT coalesce(json_agg(json_build_object(
                              'model', a.model, 'run_id', a.run_id, 'score', a.score, 'rationale', a.rationale,
                              'model_version', a.model_version, 'prompt_version', a.prompt_version,
                              'run_status', r.status, 'scored_at', a.created_at,
                              'is_current', cur.run_id IS NOT NULL)
                          ORDER BY a.model, r.created_at DESC NULLS LAST, a.created_at DESC, a.run_id), '[]')
                   FROM core.task_ai_score a
                   LEFT JOIN core.model_run r ON r.run_id = a.run_id
                   LEFT JOIN marts.task_model_score cur
                       ON cur.data_version = a.data_version AND cur.task_id = a.task_id AND cur.model = a.model
                       AND cur.run_id = a.run_id
                   WHERE a.data_version = c.data_version AND a.task_id = c.task_id) AS scores
           FROM marts.task_catalog c
           LEFT JOIN marts.task_ai_ensemble e ON e.data_version = c.data_version AND e.task_id = c.task_id
           LEFT JOIN marts.occupation_task_weight w ON w.data_version = c.data_version AND w.task_id = c.task_id
           LEFT JOIN marts.occupation_summary s ON s.data_version = c.data_version AND s.soc_code = c.soc_code
           WHERE c.data_version = %s AND c.task_id = %s""",
        (version, task_id),
    )
    return await cur.fetchone()


async def tasks_of(conn, version: str, soc_code: str) -> list[dict]:
    """The occupation's tasks, core first (on the read pool or the assistant's, whatever its row factory)."""
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(
            "SELECT task_id, task_statement FROM marts.task_statements WHERE data_version = %s AND soc_code = %s "
            "ORDER BY task_type NULLS LAST, task_id",
            [version, soc_code],
        )
        return [
            {"task_id": r["task_id"], "task_statement": r["task_statement"]} for r in await cur.fetchall()
        ]
