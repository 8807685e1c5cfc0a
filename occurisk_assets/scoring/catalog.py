"""Which tasks a scoring run touches: marts.task_catalog of one data_version, optionally the top N by
priority_rank, optionally a deterministic sample of those."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import psycopg

CATALOG_TABLE = "marts.task_catalog"


class CatalogError(ValueError):
    pass


@dataclass(frozen=True)
class CatalogTask:
    task_id: int
    onetsoc_code: str
    occupation_title: str
    task_statement: str
    priority_rank: int


def select_tasks(
    conn: psycopg.Connection,
    data_version: str,
    *,
    top_n: int | None = None,
    sample: int | None = None,
    seed: int = 0,
) -> list[CatalogTask]:
    for name, value in (("top_n", top_n), ("sample", sample)):
        if value is not None and value < 1:
            raise CatalogError(f"{name} must be a positive number of tasks, got {value}")
    if conn.execute("SELECT to_regclass(%s)", [CATALOG_TABLE]).fetchone()[0] is None:
        raise CatalogError(
            f"{CATALOG_TABLE} does not exist: build the task catalog first (occurisk pipeline)"
        )
    rows = conn.execute(
        f"""
        WITH top AS (
            SELECT task_id, onetsoc_code, occupation_title, task_statement, priority_rank
            FROM {CATALOG_TABLE}
            WHERE data_version = %(data_version)s
            ORDER BY priority_rank, task_id
            LIMIT %(top_n)s
        ), picked AS (
            SELECT * FROM top
            ORDER BY CASE WHEN %(sample)s::int IS NULL THEN '' ELSE md5(%(seed)s || ':' || task_id) END
            LIMIT %(sample)s
        )
        SELECT * FROM picked ORDER BY priority_rank, task_id
        """,
        {"data_version": data_version, "top_n": top_n, "sample": sample, "seed": str(seed)},
    ).fetchall()
    if not rows:
        raise CatalogError(f"{CATALOG_TABLE} has no tasks for data_version {data_version!r}")
    return [CatalogTask(*row) for row in rows]


def selection_hash(tasks: list[CatalogTask]) -> str:
    """Identifies the exact task texts a run scores: same hash, same work."""
    digest = hashlib.sha256()
    for task in sorted(tasks, key=lambda t: t.task_id):
        digest.update(
            f"{task.task_id}\t{task.onetsoc_code}\t{task.occupation_title}\t{task.task_statement}\n".encode()
        )
    return digest.hexdigest()
