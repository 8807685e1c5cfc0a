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
    """For dbt models: built by a run, not by the migrations."""
    cur = await conn.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
    return (await cur.fetchone())[0]


async def supported_skills(
    conn: AsyncConnection, version: str, task_ids: list[int], socs: list[str]
) -> list[dict]:
    """Skills linked to the work activities of the person's tasks, most supported first, then by the
    importance the person's occupations give them."""
    if not task_ids:
        return []
    # A release without Skills.txt leaves onet_raw.skills empty for it: the importance is then NULL.
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(
            f"""SELECT sw.skills_element_id AS element_id, sw.skills_element_name AS skill,
                       count(DISTINCT td.task_id) AS supporting_tasks,
                       (SELECT max(s.data_value) FROM onet_raw.skills s WHERE s.data_version = %(v)s
                          AND s.element_id = sw.skills_element_id AND s.scale_id = 'IM'
                          AND left(s.onetsoc_code, 7) = ANY(%(socs)s)) AS importance
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
    if not task_ids:
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


async def _shared_activities(
    conn: AsyncConnection, version: str, task_ids: list[int], targets: list[str]
) -> tuple[int, dict[str, tuple[int, list[str]]]]:
    """How many DWAs the person's tasks have, and per target SOC how many of them (and up to 5 titles) its
    tasks share."""
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(
            """WITH mine AS (SELECT DISTINCT dwa_id FROM onet_raw.tasks_to_dwas
                             WHERE data_version = %(v)s AND task_id = ANY(%(tasks)s))
               SELECT left(td.onetsoc_code, 7) AS soc_code, count(DISTINCT td.dwa_id) AS n,
                      (array_agg(DISTINCT d.dwa_title))[1:5] AS activities,
                      (SELECT count(*) FROM mine) AS mine
               FROM onet_raw.tasks_to_dwas td JOIN mine USING (dwa_id)
               JOIN onet_raw.dwa_reference d ON d.data_version = td.data_version AND d.dwa_id = td.dwa_id
               WHERE td.data_version = %(v)s AND left(td.onetsoc_code, 7) = ANY(%(targets)s)
               GROUP BY 1""",
            {"v": version, "tasks": task_ids, "targets": targets},
        )
        rows = await cur.fetchall()
    mine = rows[0]["mine"] if rows else 0
    return mine, {r["soc_code"]: (r["n"], r["activities"]) for r in rows}


async def personal_transitions(
    conn: AsyncConnection, version: str, task_ids: list[int], socs: list[str]
) -> tuple[str, list[dict]]:
    """The careers domain's transitions (marts.occupation_transitions) from each of the person's occupations,
    re-ranked by how much of the person's *own* work (their ticked tasks' DWAs) each target shares; the
    shared-activities search alone when the version has no transitions built. Returns (method, moves)."""
    if not await _has_table(conn, "marts.occupation_transitions"):
        return "shared_activities", await transitions(conn, version, task_ids, socs)
    from occurisk_assets.careers.transitions import TransitionFilters

    condition, params = TransitionFilters().where("t")
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(
            f"""SELECT DISTINCT ON (t.target_soc_code) t.soc_code AS from_soc_code, t.target_soc_code AS soc_code,
                       t.target_title AS title, t.transition_score, t.similarity, t.target_ai_mean AS score,
                       t.ai_score_change, t.is_safer AS safer, t.carries_over, t.skill_gaps
                FROM marts.occupation_transitions t
                WHERE t.data_version = %(v)s AND t.soc_code = ANY(%(socs)s)
                  AND t.target_soc_code <> ALL(%(socs)s) AND {condition}
                ORDER BY t.target_soc_code, t.transition_score DESC""",
            {"v": version, "socs": socs, **params},
        )
        moves = await cur.fetchall()
    mine, shared = await _shared_activities(conn, version, task_ids, [m["soc_code"] for m in moves])
    for move in moves:
        n, activities = shared.get(move["soc_code"], (0, []))
        move["carried_share"] = round(n / mine, 4) if mine else 0.0
        move["carried_activities"] = activities
        for key in ("transition_score", "similarity", "score", "ai_score_change"):
            move[key] = None if move[key] is None else round(float(move[key]), 4)
    moves.sort(key=lambda m: (-m["carried_share"], -(m["transition_score"] or 0), m["soc_code"]))
    return "occupation_transitions", moves[:TRANSITIONS_SHOWN]


async def skill_gaps(
    conn: AsyncConnection, version: str, own: list[str], targets: list[str]
) -> dict[str, list]:
    """Skills each target needs at a higher level (LV) than any of the person's occupations."""
    if not targets:
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
    if not task_ids:
        return set()
    cur = await conn.execute(
        """SELECT DISTINCT mine.task_id FROM onet_raw.tasks_to_dwas mine
           JOIN onet_raw.tasks_to_dwas theirs ON theirs.data_version = mine.data_version AND theirs.dwa_id = mine.dwa_id
           WHERE mine.data_version = %s AND mine.task_id = ANY(%s) AND left(theirs.onetsoc_code, 7) = %s""",
        [version, task_ids, target],
    )
    return {r[0] for r in await cur.fetchall()}
