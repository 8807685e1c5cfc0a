"""Read-side queries over the raw O*NET tables, for the CLI (the API reads the marts)."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg


@dataclass
class TopTasks:
    ordered_by: str  # how the list is ordered, said to the user
    rows: list[tuple]  # (task_id, task_type, importance or None, task statement)


def top_tasks(conn: psycopg.Connection, onetsoc_code: str, data_version: str, limit: int) -> TopTasks:
    """An occupation's tasks by importance (IM) when rated, the check that a release's tasks loaded."""
    rated = conn.execute(
        "SELECT count(*) FROM onet_raw.task_ratings WHERE data_version = %s AND onetsoc_code = %s AND scale_id = 'IM'",
        (data_version, onetsoc_code),
    ).fetchone()[0]
    if rated:
        rows = conn.execute(
            """SELECT t.task_id, t.task_type, r.data_value, t.task
               FROM onet_raw.task_statements t
               LEFT JOIN onet_raw.task_ratings r ON r.data_version = t.data_version
                    AND r.onetsoc_code = t.onetsoc_code AND r.task_id = t.task_id AND r.scale_id = 'IM'
               WHERE t.data_version = %s AND t.onetsoc_code = %s
               ORDER BY r.data_value DESC NULLS LAST, t.task_id LIMIT %s""",
            (data_version, onetsoc_code, limit),
        ).fetchall()
        return TopTasks("importance (IM) from Task Ratings, highest first", rows)
    rows = conn.execute(
        """SELECT task_id, task_type, NULL::numeric, task FROM onet_raw.task_statements
           WHERE data_version = %s AND onetsoc_code = %s
           ORDER BY CASE task_type WHEN 'Core' THEN 0 WHEN 'Supplemental' THEN 1 ELSE 2 END, line_no
           LIMIT %s""",
        (data_version, onetsoc_code, limit),
    ).fetchall()
    return TopTasks(
        "task type (Core, then Supplemental) and release order: this release has no Task Ratings", rows
    )


def occupation_detail(conn: psycopg.Connection, onetsoc_code: str, data_version: str) -> dict | None:
    row = conn.execute(
        """SELECT o.onetsoc_code, left(o.onetsoc_code, 7), o.title, o.description, z.job_zone,
                  (SELECT count(*) FROM onet_raw.task_statements t
                   WHERE t.data_version = o.data_version AND t.onetsoc_code = o.onetsoc_code)
           FROM onet_raw.occupation_data o
           LEFT JOIN onet_raw.job_zones z ON z.data_version = o.data_version AND z.onetsoc_code = o.onetsoc_code
           WHERE o.data_version = %s AND o.onetsoc_code = %s""",
        (data_version, onetsoc_code),
    ).fetchone()
    if row is None:
        return None
    titles = [
        r[0]
        for r in conn.execute(
            """SELECT alternate_title FROM onet_raw.alternate_titles WHERE data_version = %s AND onetsoc_code = %s
           ORDER BY line_no LIMIT 8""",
            (data_version, onetsoc_code),
        )
    ]
    related = conn.execute(
        """SELECT r.related_onetsoc_code, o.title FROM onet_raw.related_occupations r
           JOIN onet_raw.occupation_data o ON o.data_version = r.data_version AND o.onetsoc_code = r.related_onetsoc_code
           WHERE r.data_version = %s AND r.onetsoc_code = %s ORDER BY r.index LIMIT 5""",
        (data_version, onetsoc_code),
    ).fetchall()
    keys = ("onetsoc_code", "soc_code", "title", "description", "job_zone", "n_tasks")
    return dict(zip(keys, row, strict=False)) | {"alternate_titles": titles, "related": related}
