"""Retention: keep the newest N complete O*NET versions and, in every version kept, the newest N scoring runs
per model; archive the rest (archive.py), then delete it. A version still building or failed is neither
counted among the newest nor archived (it is left for its next build). The active version, and every run whose scores the active version's
ensemble uses (the latest run per task and model, as dbt picks them), are never touched; neither is a
run still in progress, nor the provider-call cache (core.llm_call), which is what keeps re-scoring free.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from psycopg import sql

from occurisk_assets.lib.schema import table_exists
from occurisk_assets.lifecycle.archive import TableSlice, log_archive, write_archive
from occurisk_assets.onet.loader import partition_name
from occurisk_assets.versions import (
    SQL_NOT_A_REBUILD,
    active_version,
    complete_versions,
    sort_versions,
    version_sort_key,
)

# Platform journals and the call cache: kept whatever happens to the versions and runs they mention.
NEVER_ARCHIVED = frozenset({"core.release_intake", "core.archive_log", "core.llm_call"})


class RetentionError(Exception):
    pass


@dataclass(frozen=True)
class RunRef:
    run_id: int
    model: str
    data_version: str


@dataclass
class RetentionPlan:
    keep_versions: int
    keep_runs: int
    active: str | None
    versions: list[str] = field(default_factory=list)  # to archive, with everything derived from them
    runs: list[RunRef] = field(default_factory=list)  # to archive, of versions that stay
    # beyond the newest N, kept for the active version
    protected_runs: list[int] = field(default_factory=list)
    # building or failed: not counted among the newest, not archived
    not_counted: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.versions and not self.runs


@dataclass
class RetentionResult:
    plan: RetentionPlan
    dry_run: bool
    archives: list[Path] = field(default_factory=list)


def _runs_active_version_uses(conn: psycopg.Connection, active: str) -> set[int]:
    """The run behind each (task, model) score of the active version, picked as dbt's latest-run model does."""
    return {
        r[0]
        for r in conn.execute(
            """SELECT DISTINCT run_id FROM (
               SELECT DISTINCT ON (s.task_id, s.model) s.run_id FROM core.task_ai_score s
               LEFT JOIN core.model_run r USING (run_id) WHERE s.data_version = %s
               ORDER BY s.task_id, s.model, r.created_at DESC NULLS LAST, s.created_at DESC, s.run_id DESC) latest""",
            (active,),
        )
    }


def plan_retention(conn: psycopg.Connection, keep_versions: int, keep_runs: int) -> RetentionPlan:
    if keep_versions < 1 or keep_runs < 1:
        raise RetentionError(
            f"keep at least one version and one run (got keep_versions={keep_versions}, "
            f"keep_runs={keep_runs})"
        )
    active = active_version(conn)
    plan = RetentionPlan(keep_versions, keep_runs, active)
    complete = sort_versions(complete_versions(conn), reverse=True)
    kept = set(complete[:keep_versions]) | ({active} if active else set())
    plan.versions = sorted((v for v in complete if v not in kept), key=version_sort_key)
    plan.not_counted = sort_versions(
        r[0]
        for r in conn.execute(
            f"SELECT id FROM core.data_version WHERE build_status <> 'complete' AND {SQL_NOT_A_REBUILD}"
        )
    )
    protected = _runs_active_version_uses(conn, active) if active else set()
    rows = conn.execute(
        """SELECT run_id, model, data_version, status,
                  row_number() OVER (PARTITION BY model, data_version ORDER BY created_at DESC, run_id DESC)
                      AS recency
           FROM core.model_run ORDER BY model, recency"""
    ).fetchall()
    for run_id, model, data_version, status, recency in rows:
        if recency <= keep_runs or data_version in plan.versions:
            continue  # kept, or archived with its version
        if run_id in protected or status == "running":
            plan.protected_runs.append(run_id)
            continue
        plan.runs.append(RunRef(run_id, model, data_version))
    return plan


def _tables_with_column(
    conn: psycopg.Connection, schemas: tuple[str, ...], column: str
) -> list[tuple[str, str]]:
    rows = conn.execute(
        """SELECT c.table_schema, c.table_name FROM information_schema.columns c
           JOIN information_schema.tables t USING (table_schema, table_name)
           WHERE c.table_schema = ANY(%s) AND c.column_name = %s AND t.table_type = 'BASE TABLE'
             AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = (quote_ident(c.table_schema) || '.' ||
                                                                             quote_ident(c.table_name))::regclass)
           ORDER BY 1, 2""",
        (list(schemas), column),
    ).fetchall()
    return [(s, t) for s, t in rows if f"{s}.{t}" not in NEVER_ARCHIVED]


def version_slices(conn: psycopg.Connection, data_version: str) -> list[TableSlice]:
    """Everything that belongs to one O*NET version, parents before children (the order restore needs)."""
    version = {"v": data_version}
    slices = [
        TableSlice("core", "data_version", "id = %(v)s", version),
        TableSlice("core", "model_run", "data_version = %(v)s", version),
    ]
    by_version = _tables_with_column(conn, ("core", "marts"), "data_version")
    slices += [
        TableSlice(s, t, "data_version = %(v)s", version)
        for s, t in by_version
        if (s, t) not in {("core", "model_run")}
    ]
    by_version_set = set(by_version)
    slices += [
        TableSlice(s, t, "run_id IN (SELECT run_id FROM core.model_run WHERE data_version = %(v)s)", version)
        for s, t in _tables_with_column(conn, ("core",), "run_id")
        if (s, t) not in by_version_set and t != "model_run"
    ]
    raw_parents = [
        r[0]
        for r in conn.execute(
            """SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'onet_raw' AND c.relkind = 'p' ORDER BY c.relname"""
        )
    ]
    slices += [
        TableSlice("onet_raw", t, "data_version = %(v)s", version)
        for t in raw_parents
        if table_exists(conn, f"onet_raw.{partition_name(t, data_version)}")
    ]
    return slices


def run_slices(conn: psycopg.Connection, run_ids: list[int]) -> list[TableSlice]:
    runs = {"runs": run_ids}
    return [TableSlice("core", "model_run", "run_id = ANY(%(runs)s)", runs)] + [
        TableSlice(s, t, "run_id = ANY(%(runs)s)", runs)
        for s, t in _tables_with_column(conn, ("core",), "run_id")
        if t != "model_run"
    ]


def _delete(conn: psycopg.Connection, slices: list[TableSlice]) -> None:
    """Children first; raw partitions are detached and dropped rather than emptied row by row."""
    for part in reversed(slices):
        if part.schema == "onet_raw":
            child = sql.Identifier("onet_raw", partition_name(part.table, part.params["v"]))
            conn.execute(
                sql.SQL("ALTER TABLE {} DETACH PARTITION {}").format(
                    sql.Identifier("onet_raw", part.table), child
                )
            )
            conn.execute(sql.SQL("DROP TABLE {}").format(child))
        else:
            conn.execute(
                sql.SQL("DELETE FROM {} WHERE {}").format(
                    sql.Identifier(part.schema, part.table), sql.SQL(part.where)
                ),
                part.params,
            )


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def archive_version(conn: psycopg.Connection, data_version: str, root: Path) -> Path:
    """Export one version and everything derived from it, then delete it; refuses the active version."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended('occurisk.activation', 0))")
        if active_version(conn) == data_version:
            raise RetentionError(f"O*NET {data_version} is the active version: it is never archived")
        slices = version_slices(conn, data_version)
        folder, manifest = write_archive(
            conn, root, f"onet-{data_version}-{_stamp()}", "version", slices, {"data_version": data_version}
        )
        _delete(conn, slices)
        log_archive(conn, "version", folder, manifest)
    return folder


def archive_runs(conn: psycopg.Connection, run_ids: list[int], root: Path) -> Path:
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended('occurisk.activation', 0))")
        active = active_version(conn)
        in_use = (_runs_active_version_uses(conn, active) if active else set()) & set(run_ids)
        if in_use:
            raise RetentionError(f"runs {sorted(in_use)} hold scores the active version {active} uses")
        slices = run_slices(conn, run_ids)
        folder, manifest = write_archive(conn, root, f"runs-{_stamp()}", "runs", slices, {"run_ids": run_ids})
        _delete(conn, slices)
        log_archive(conn, "runs", folder, manifest)
    return folder


def apply_retention(
    conn: psycopg.Connection, keep_versions: int, keep_runs: int, root: Path, dry_run: bool = False
) -> RetentionResult:
    plan = plan_retention(conn, keep_versions, keep_runs)
    result = RetentionResult(plan, dry_run)
    if dry_run:
        return result
    # Each archive is committed on its own: a later failure never undoes an export already on disk.
    for version in plan.versions:
        result.archives.append(archive_version(conn, version, root))
        conn.commit()
    if plan.runs:
        result.archives.append(archive_runs(conn, [r.run_id for r in plan.runs], root))
        conn.commit()
    return result


def describe(result: RetentionResult) -> list[str]:
    """What retention did (or would do), for people."""
    plan, verb = result.plan, ("would archive" if result.dry_run else "archived")
    lines = [
        f"keep the newest {plan.keep_versions} complete O*NET versions and {plan.keep_runs} runs per model in "
        f"each; active version: {plan.active or 'none'}"
    ]
    if plan.not_counted:
        lines.append(f"not complete, left as they are: O*NET {', '.join(plan.not_counted)}")
    if plan.empty:
        lines.append("nothing to archive")
    for version in plan.versions:
        lines.append(f"{verb} O*NET {version} (raw tables, marts, release manifest, its scoring runs)")
    for run in plan.runs:
        lines.append(f"{verb} scoring run {run.run_id} ({run.model}, O*NET {run.data_version})")
    if plan.protected_runs:
        lines.append(
            f"kept beyond the newest {plan.keep_runs}: runs {sorted(plan.protected_runs)} "
            "(used by the active version, or still running)"
        )
    lines += [f"archive: {path}" for path in result.archives]
    return lines
