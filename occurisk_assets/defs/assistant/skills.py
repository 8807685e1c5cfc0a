"""What a person's tasks carry: O*NET skills their tasks support, and occupations whose work shares the
same detailed work activities (DWAs), with the skills they would still need.

Task → DWA (Tasks to DWAs) → generalized work activity (DWA Reference) → skill (Skills to Work
Activities). Skill importance (IM) and level (LV) come from Skills.txt when the release has it.
"""

from __future__ import annotations

from psycopg import AsyncConnection
from psycopg.rows import dict_row

SKILLS_SHOWN = 8
TRANSITIONS_SHOWN = 10
GAP_MIN_LEVEL = 0.5  # a skill is a gap when the target needs it at least this much higher (LV, 0–7)


async def _has_table(conn: AsyncConnection, name: str) -> bool:
    cur = await conn.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
    return (await cur.fetchone())[0]


async def supported_skills(
    conn: AsyncConnection, version: str, task_ids: list[int], socs: list[str]
) -> list[dict]:
    """Skills linked to the work activities of the person's tasks, most supported first, then by the
    importance the person's occupations give them."""
    if not task_ids or not await _has_table(conn, "onet_raw.skills_to_work_activities"):
        return []
    has_ratings = await _has_table(conn, "onet_raw.skills")
    importance = (
        """(SELECT max(s.data_value) FROM onet_raw.skills s WHERE s.data_version = %(v)s
             AND s.element_id = sw.skills_element_id AND s.scale_id = 'IM'
             AND left(s.onetsoc_code, 7) = ANY(%(socs)s))"""
        if has_ratings
        else "NULL::numeric"
    )
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(
            f"""SELECT sw.skills_element_id AS element_id, sw.skills_element_name AS skill,
                       count(DISTINCT td.task_id) AS supporting_tasks, {importance} AS importance
                FROM onet_raw.tasks_to_dwas td
                JOIN onet_raw.dwa_reference d ON d.data_version = td.data_version AND d.dwa_id = td.dwa_id
                JOIN onet_raw.skills_to_work_activities sw
                  ON sw.data_version = d.data_version AND sw.work_activities_element_id = d.element_id
                WHERE td.data_version = %(v)s AND td.task_id = ANY(%(tasks)s)
                GROUP BY sw.skills_element_id, sw.skills_element_name
                ORDER BY supporting_tasks DESC, importance DESC NULLS LAST, skill
                LIMIT {SKILLS_SHOWN}""",
            {"v": version, "tasks": task_ids, "socs": socs},
        )
        return [
            {**r, "importance": None if r["importance"] is None else float(r["importance"])}
            for r in await cur.fetchall()
        ]


async def transitions(
    conn: AsyncConnection, version: str, task_ids: list[int], socs: list[str]
) -> list[dict]:
    """Occupations sharing the most of the person's work activities, with a lower AI score than their own
    occupations first; what carries over (shared activities) and the skill gaps."""
    if not task_ids or not await _has_table(conn, "onet_raw.tasks_to_dwas"):
        return []
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(
            f"""WITH mine AS (
                    SELECT DISTINCT dwa_id FROM onet_raw.tasks_to_dwas
                    WHERE data_version = %(v)s AND task_id = ANY(%(tasks)s)),
                own_score AS (
                    SELECT avg(mean) AS score FROM marts.occupation_ai_score
                    WHERE data_version = %(v)s AND soc_code = ANY(%(socs)s)),
                shared AS (
                    SELECT left(td.onetsoc_code, 7) AS soc_code, count(DISTINCT td.dwa_id) AS shared_activities,
                           array_agg(DISTINCT d.dwa_title) AS activities
                    FROM onet_raw.tasks_to_dwas td JOIN mine USING (dwa_id)
                    JOIN onet_raw.dwa_reference d ON d.data_version = td.data_version AND d.dwa_id = td.dwa_id
                    WHERE td.data_version = %(v)s AND left(td.onetsoc_code, 7) <> ALL(%(socs)s)
                    GROUP BY 1)
                SELECT s.soc_code, o.title, a.mean AS score, s.shared_activities,
                       (SELECT count(*) FROM mine) AS my_activities, s.activities[1:5] AS carried_activities,
                       a.mean < (SELECT score FROM own_score) AS safer
                FROM shared s
                JOIN marts.occupation_ai_score a ON a.data_version = %(v)s AND a.soc_code = s.soc_code
                JOIN LATERAL (SELECT title FROM marts.occupation_master m WHERE m.data_version = %(v)s
                              AND m.soc_code = s.soc_code ORDER BY m.onetsoc_code LIMIT 1) o ON true
                ORDER BY (a.mean < (SELECT score FROM own_score)) DESC NULLS LAST,
                         s.shared_activities DESC, a.mean, s.soc_code
                LIMIT {TRANSITIONS_SHOWN}""",
            {"v": version, "tasks": task_ids, "socs": socs},
        )
        rows = await cur.fetchall()
        gaps = await skill_gaps(conn, version, socs, [r["soc_code"] for r in rows])
    return [
        {
            **r,
            "score": round(float(r["score"]), 4),
            "carried_share": round(r["shared_activities"] / r["my_activities"], 4),
            "skill_gaps": gaps.get(r["soc_code"], []),
        }
        for r in rows
    ]


async def skill_gaps(
    conn: AsyncConnection, version: str, own: list[str], targets: list[str]
) -> dict[str, list]:
    """Skills each target needs at a higher level (LV) than any of the person's occupations."""
    if not targets or not await _has_table(conn, "onet_raw.skills"):
        return {}
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(
            """WITH levels AS (
                   SELECT left(onetsoc_code, 7) AS soc_code, element_name, max(data_value) AS level
                   FROM onet_raw.skills WHERE data_version = %(v)s AND scale_id = 'LV'
                     AND left(onetsoc_code, 7) = ANY(%(all)s) GROUP BY 1, 2),
               mine AS (SELECT element_name, max(level) AS level FROM levels WHERE soc_code = ANY(%(own)s) GROUP BY 1)
               SELECT t.soc_code, t.element_name AS skill, t.level AS needed, coalesce(m.level, 0) AS yours
               FROM levels t LEFT JOIN mine m USING (element_name)
               WHERE t.soc_code = ANY(%(targets)s) AND t.level - coalesce(m.level, 0) >= %(gap)s
               ORDER BY t.soc_code, t.level - coalesce(m.level, 0) DESC, t.element_name""",
            {"v": version, "all": own + targets, "own": own, "targets": targets, "gap": GAP_MIN_LEVEL},
        )
        gaps: dict[str, list] = {}
        for r in await cur.fetchall():
            if len(gaps.setdefault(r["soc_code"], [])) < 5:
                gaps[r["soc_code"]].append(
                    {"skill": r["skill"], "needed_level": float(r["needed"]), "your_level": float(r["yours"])}
                )
    return gaps


async def tasks_sharing_activities(
    conn: AsyncConnection, version: str, task_ids: list[int], target: str
) -> set[int]:
    """The person's tasks that share a detailed work activity with a task of the target occupation."""
    if not task_ids or not await _has_table(conn, "onet_raw.tasks_to_dwas"):
        return set()
    cur = await conn.execute(
        """SELECT DISTINCT mine.task_id FROM onet_raw.tasks_to_dwas mine
           JOIN onet_raw.tasks_to_dwas theirs ON theirs.data_version = mine.data_version AND theirs.dwa_id = mine.dwa_id
           WHERE mine.data_version = %s AND mine.task_id = ANY(%s) AND left(theirs.onetsoc_code, 7) = %s""",
        [version, task_ids, target],
    )
    return {r[0] for r in await cur.fetchall()}
