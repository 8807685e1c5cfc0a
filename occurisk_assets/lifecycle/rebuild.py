"""Rebuilds of a complete version without taking it offline (docs/operations.md "Rebuilding the active
version").

A build of a version that is already complete runs under the version's rebuild key ("30.1~new",
occurisk_assets/versions.py) — its own Dagster partition, onet_raw partitions, dbt rows and scores — so the
last complete build stays served, untouched, for the whole rebuild. When the rebuild has passed the
activation gates, `promote` replaces every version-keyed row of the version with the rebuild's in one
transaction, with the data generation, so a request reads either build whole, never a part of each. A
failed rebuild leaves the served build as it is and is recorded on the rebuild key's row, which
`occurisk versions list` shows beside the version.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

from occurisk_assets.lifecycle.diff import baseline_version, write_diff
from occurisk_assets.onet.loader import partition_name
from occurisk_assets.versions import COMPLETE, complete_versions, nearest_newer, rebuild_key

# The schemas of what a build writes, keyed by a data_version column.
BUILT_SCHEMAS = ("core", "marts", "bls", "careers")
# Records about versions, not products of a build: left as they are.
NOT_BUILT = {
    "core.data_version",
    "core.activation_log",
    "core.release_intake",
    "core.archive_log",
    "core.version_build_claim",  # which run holds a build key (occurisk_assets/runs/build_lock.py)
}
# Scoring runs: the rebuild's replace the served build's runs of the same models (with their scores, by
# cascade); runs of other models (an operator's extra LLM run) stay, as after a rescoring.
ADDED = {"core.model_run", "core.task_ai_score", "core.scoring_failure"}
# Rewritten after the switch: the report compares the version as now served.
REWRITTEN = {"core.version_diff"}


def _version_keyed_tables(conn: psycopg.Connection) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            """SELECT format('%%I.%%I', n.nspname, c.relname) FROM pg_class c
               JOIN pg_namespace n ON n.oid = c.relnamespace
               JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'data_version' AND NOT a.attisdropped
               WHERE n.nspname = ANY(%s) AND c.relkind = 'r' AND NOT c.relispartition
               ORDER BY 1""",
            (list(BUILT_SCHEMAS),),
        )
    ]


def _raw_parents(conn: psycopg.Connection) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            """SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'onet_raw' AND c.relkind = 'p' ORDER BY c.relname"""
        )
    ]


def _swap_raw_partition(conn: psycopg.Connection, table: str, data_version: str, key: str) -> None:
    """The rebuild's partition of onet_raw.`table` becomes the version's (none when its release lacks it)."""
    parent = sql.Identifier("onet_raw", table)
    served, built = partition_name(table, data_version), partition_name(table, key)
    for part in (served, built):
        if conn.execute("SELECT to_regclass(%s) IS NOT NULL", (f'onet_raw."{part}"',)).fetchone()[0]:
            conn.execute(
                sql.SQL("ALTER TABLE {} DETACH PARTITION {}").format(parent, sql.Identifier("onet_raw", part))
            )
            if part == served:
                conn.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier("onet_raw", part)))
                continue
            conn.execute(
                sql.SQL("UPDATE {} SET data_version = %s").format(sql.Identifier("onet_raw", part)),
                (data_version,),
            )
            conn.execute(
                sql.SQL("ALTER TABLE {} RENAME TO {}").format(
                    sql.Identifier("onet_raw", part), sql.Identifier(served)
                )
            )
            conn.execute(
                sql.SQL("ALTER TABLE {} ATTACH PARTITION {} FOR VALUES IN ({})").format(
                    parent, sql.Identifier("onet_raw", served), sql.Literal(data_version)
                )
            )


def promote(conn: psycopg.Connection, data_version: str, run_id: str | None = None) -> None:
    """Serve the finished rebuild of `data_version` instead of its last build, in one transaction."""
    key = rebuild_key(data_version)
    with conn.transaction():
        # The diff reports of other versions are written under this lock too (diff.finish_version).
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended('occurisk.version_diff', 0))")
        conn.execute(
            """DELETE FROM core.model_run o WHERE o.data_version = %s
               AND EXISTS (SELECT 1 FROM core.model_run n WHERE n.data_version = %s AND n.model = o.model)""",
            (data_version, key),
        )
        for table in _raw_parents(conn):
            _swap_raw_partition(conn, table, data_version, key)
        for table in _version_keyed_tables(conn):
            if table in NOT_BUILT:
                continue
            target = sql.SQL(table)  # from the catalog, already quoted by format('%I.%I')
            if table in REWRITTEN or table not in ADDED:
                conn.execute(
                    sql.SQL("DELETE FROM {} WHERE data_version = %s").format(target), (data_version,)
                )
            if table in REWRITTEN:
                conn.execute(sql.SQL("DELETE FROM {} WHERE data_version = %s").format(target), (key,))
            else:
                conn.execute(
                    sql.SQL("UPDATE {} SET data_version = %s WHERE data_version = %s").format(target),
                    (data_version, key),
                )
        conn.execute(
            """UPDATE core.data_version v SET release_date = r.release_date, source = r.source,
                      loaded_at = r.loaded_at, build_status = %s, built_at = now(), build_error = NULL,
                      failed_at = NULL, build_run_id = coalesce(%s, r.build_run_id)
               FROM core.data_version r WHERE v.id = %s AND r.id = %s""",
            (COMPLETE, run_id, data_version, key),
        )
        conn.execute("DELETE FROM core.data_version WHERE id = %s", (key,))
        write_diff(conn, data_version)
        newer = nearest_newer(complete_versions(conn), data_version)
        if newer and baseline_version(conn, newer) == data_version:
            write_diff(conn, newer)
        # The marts carry no trigger (dbt's post-hook bumps it): say it once for the whole switch.
        conn.execute("SELECT core.bump_data_generation_for('rebuild of ' || %s)", (data_version,))
