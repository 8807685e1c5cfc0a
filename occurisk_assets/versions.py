"""O*NET version keys: what a version string may be, and the one ordering of versions.

Used everywhere versions are compared (activation, diff baselines, retention, the sensor, the API); its SQL
twin is `core.version_sort_key(text)` (migration 0002), for ORDER BY in queries. Numeric parts compare as
numbers, other parts after numbers as text: '29.1' < '30.0' < '30.1' < '30.10' < '30.1a'.
"""

from __future__ import annotations

import re

# What the API, dbt (macros/current_data_version.sql) and the loader accept as a version.
VERSION_PATTERN = r"^[0-9A-Za-z._-]{1,20}$"
VERSION_RE = re.compile(VERSION_PATTERN)

# The SQL ordering expression for a column holding versions.
SQL_SORT_KEY = "core.version_sort_key({})"


def version_sort_key(version: str) -> tuple[tuple[int, int, str], ...]:
    # isascii: str.isdigit() is true for fullwidth and other Unicode digits, which are not numbers here.
    return tuple(
        (0, int(part), "") if part.isascii() and part.isdigit() else (1, 0, part)
        for part in version.split(".")
    )


def sort_versions(versions, reverse: bool = False) -> list[str]:
    return sorted(versions, key=version_sort_key, reverse=reverse)


def nearest_older(versions, data_version: str) -> str | None:
    """The newest of `versions` older than `data_version`."""
    key = version_sort_key(data_version)
    older = [v for v in versions if version_sort_key(v) < key]
    return max(older, key=version_sort_key) if older else None


def nearest_newer(versions, data_version: str) -> str | None:
    """The oldest of `versions` newer than `data_version`."""
    key = version_sort_key(data_version)
    newer = [v for v in versions if version_sort_key(v) > key]
    return min(newer, key=version_sort_key) if newer else None


# --- rebuilds of a complete version (docs/operations.md "Rebuilding the active version") -------------------
# A complete version is rebuilt under a key of its own, "30.1~new", which VERSION_PATTERN cannot name (so no
# request ever reads it), and its rows replace the version's in one transaction once that build is complete
# and checked (lifecycle/rebuild.py). Until then the last complete build stays served.
REBUILD_MARK = "~new"
# SQL: the ids of core.data_version that are versions, not such builds.
SQL_NOT_A_REBUILD = f"position('{REBUILD_MARK}' in id) = 0"


def rebuild_key(data_version: str) -> str:
    return data_version + REBUILD_MARK


def rebuilt_version(key: str) -> str | None:
    """The version `key` is a rebuild of, or None when `key` is a version."""
    return key.removesuffix(REBUILD_MARK) if key.endswith(REBUILD_MARK) else None


# --- the version registry (core.data_version) -------------------------------------------------------------
# build_status: `building` from a raw load of new content until the version's diff report (its last product)
# is written, `complete` after that, `failed` when its run failed or died. Only complete versions are served.
BUILDING, COMPLETE, FAILED = "building", "complete", "failed"


def build_key(conn, data_version: str) -> str:
    """The key a build of `data_version` writes under: its own until it is complete, then its rebuild key."""
    return rebuild_key(data_version) if build_status(conn, data_version) == COMPLETE else data_version


def active_version(conn) -> str | None:
    """The version the API serves (at most one is active)."""
    row = conn.execute("SELECT id FROM core.data_version WHERE is_active").fetchone()
    return row[0] if row else None


def loaded_versions(conn) -> list[str]:
    return sort_versions(
        r[0]
        for r in conn.execute(
            f"SELECT id FROM core.data_version WHERE loaded_at IS NOT NULL AND {SQL_NOT_A_REBUILD}"
        )
    )


def complete_versions(conn) -> list[str]:
    return sort_versions(
        r[0] for r in conn.execute("SELECT id FROM core.data_version WHERE build_status = %s", (COMPLETE,))
    )


def build_status(conn, data_version: str) -> str | None:
    row = conn.execute("SELECT build_status FROM core.data_version WHERE id = %s", (data_version,)).fetchone()
    return row[0] if row else None


def mark_complete(conn, data_version: str, run_id: str | None = None) -> None:
    conn.execute(
        """UPDATE core.data_version SET build_status = %s, built_at = now(), build_error = NULL,
                  build_run_id = coalesce(%s, build_run_id) WHERE id = %s""",
        (COMPLETE, run_id, data_version),
    )


def mark_failed(conn, data_version: str, error: str, run_id: str | None = None) -> bool:
    """Record that the build of `data_version` (or of its rebuild key) by `run_id` failed. A version already
    complete stays complete (its served data are a whole earlier build); only its last error is kept.
    Returns whether a row changed (not when a newer run has started building it since)."""
    changed = (
        conn.execute(
            """UPDATE core.data_version SET build_error = %s, failed_at = now(),
                      build_status = CASE WHEN build_status = %s THEN build_status ELSE %s END
               WHERE id = %s AND (%s::text IS NULL OR build_run_id IS NULL OR build_run_id = %s)""",
            (error, COMPLETE, FAILED, data_version, run_id, run_id),
        ).rowcount
        > 0
    )
    if not changed and rebuilt_version(data_version):
        # A rebuild that failed before its raw load registered it: still said beside the version.
        changed = (
            conn.execute(
                """INSERT INTO core.data_version (id, build_status, build_error, failed_at, build_run_id)
                   VALUES (%s, %s, %s, now(), %s) ON CONFLICT (id) DO NOTHING""",
                (data_version, FAILED, error, run_id),
            ).rowcount
            > 0
        )
    return changed
