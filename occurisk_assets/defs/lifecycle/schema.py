"""The lifecycle tables in schema `core` (created idempotently, safe from concurrent processes).

- release_intake: every release the sensor evaluated (registered or rejected, with the problems found);
- activation_log: every activation decision, with the gate results that led to it;
- version_diff:   one diff report per data_version against its baseline;
- archive_log:    what retention exported (and deleted), where, and whether it was restored.
"""

from __future__ import annotations

import psycopg

from occurisk_assets import data_generation
from occurisk_assets.defs.onet.loader import ensure_core_tables

DDL = """
CREATE TABLE IF NOT EXISTS core.release_intake (
    data_version  text NOT NULL,
    fingerprint   text NOT NULL,
    source        text NOT NULL,
    status        text NOT NULL CHECK (status IN ('registered', 'rejected')),
    problems      text[] NOT NULL DEFAULT '{}',
    found_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (data_version, fingerprint)
);

CREATE TABLE IF NOT EXISTS core.activation_log (
    decision_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    data_version    text NOT NULL,
    decided_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    outcome         text NOT NULL CHECK (outcome IN ('activated', 'blocked', 'not_newer', 'already_active')),
    forced          boolean NOT NULL DEFAULT false,
    trigger         text NOT NULL,
    active_before   text,
    active_after    text,
    reason          text NOT NULL,
    gates           jsonb NOT NULL,
    dagster_run_id  text
);
CREATE INDEX IF NOT EXISTS activation_log_version_idx ON core.activation_log (data_version, decided_at);

CREATE TABLE IF NOT EXISTS core.version_diff (
    data_version           text PRIMARY KEY,
    baseline_version       text,
    created_at             timestamptz NOT NULL DEFAULT now(),
    tasks_added            integer NOT NULL,
    tasks_removed          integer NOT NULL,
    tasks_reworded         integer NOT NULL,
    tasks_redated          integer NOT NULL,
    occupations_added      integer NOT NULL,
    occupations_removed    integer NOT NULL,
    occupations_retitled   integer NOT NULL,
    task_score_ks          double precision,
    task_score_ks_pvalue   double precision,
    task_score_js          double precision,
    provider_calls         integer,
    cache_hits             integer,
    report                 jsonb NOT NULL,
    markdown               text NOT NULL
);

CREATE TABLE IF NOT EXISTS core.archive_log (
    archive_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('version', 'runs')),
    data_version  text,
    run_ids       bigint[] NOT NULL DEFAULT '{}',
    path          text NOT NULL,
    tables        jsonb NOT NULL,
    archived_at   timestamptz NOT NULL DEFAULT now(),
    restored_at   timestamptz
);
"""


def ensure_lifecycle_tables(conn: psycopg.Connection) -> None:
    ensure_core_tables(conn)
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended('occurisk.lifecycle.ddl', 0))")
        conn.execute(DDL)
    data_generation.ensure(conn, ("core.version_diff",))


def table_exists(conn: psycopg.Connection, qualified: str) -> bool:
    return conn.execute("SELECT to_regclass(%s) IS NOT NULL", (qualified,)).fetchone()[0]
