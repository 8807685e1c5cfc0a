"""The scoring tables in schema `core` (created idempotently; see docs/methodology.md "Scoring")."""

from __future__ import annotations

import psycopg

from occurisk_assets import data_generation

RUN_STATUSES = ("running", "completed", "failed", "stopped_budget", "interrupted")

DDL = f"""
CREATE SCHEMA IF NOT EXISTS core;

CREATE TABLE IF NOT EXISTS core.model_run (
    run_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model           text NOT NULL,
    provider        text NOT NULL,
    model_version   text NOT NULL,
    prompt_version  text NOT NULL,
    data_version    text NOT NULL,
    mode            text NOT NULL CHECK (mode IN ('online', 'batch', 'published')),
    status          text NOT NULL CHECK (status IN {RUN_STATUSES!r}),
    created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at     timestamptz,
    cost_estimate   numeric(14, 8) NOT NULL DEFAULT 0,
    budget_usd      numeric(14, 8),
    n_tasks         integer NOT NULL,
    n_scored        integer NOT NULL DEFAULT 0,
    n_calls         integer NOT NULL DEFAULT 0,
    n_cache_hits    integer NOT NULL DEFAULT 0,
    n_failures      integer NOT NULL DEFAULT 0,
    n_unscored      integer NOT NULL DEFAULT 0,
    top_n           integer,
    sample          integer,
    selection_hash  text NOT NULL,
    params          jsonb NOT NULL DEFAULT '{{}}'::jsonb,
    mlflow_run_id   text,
    error           text
);
CREATE INDEX IF NOT EXISTS model_run_identity_idx
    ON core.model_run (model, data_version, model_version, prompt_version, created_at);

CREATE TABLE IF NOT EXISTS core.llm_call (
    call_key        text PRIMARY KEY,
    model           text NOT NULL,
    provider        text NOT NULL,
    model_id        text NOT NULL,
    model_version   text NOT NULL,
    prompt_version  text NOT NULL,
    prompt_sha256   text NOT NULL,
    prompt_text     text NOT NULL,
    response_json   jsonb NOT NULL,
    response_model  text,
    score           numeric NOT NULL CHECK (score >= 0 AND score <= 1),
    rationale       text,
    input_tokens    integer,
    output_tokens   integer,
    cost_usd        numeric(14, 8) NOT NULL,
    paid_attempts   integer NOT NULL,
    via_batch       boolean NOT NULL DEFAULT false,
    latency_ms      integer,
    run_id          bigint,
    created_at      timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE IF NOT EXISTS core.task_ai_score (
    data_version    text NOT NULL,
    task_id         integer NOT NULL,
    model           text NOT NULL,
    run_id          bigint NOT NULL REFERENCES core.model_run (run_id) ON DELETE CASCADE,
    model_version   text NOT NULL,
    prompt_version  text NOT NULL,
    score           numeric NOT NULL CHECK (score >= 0 AND score <= 1),
    rationale       text,
    call_key        text,
    origin          text NOT NULL CHECK (origin IN ('call', 'cache', 'published')),
    raw_json_ref    text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (data_version, run_id, task_id)
);
CREATE INDEX IF NOT EXISTS task_ai_score_model_idx ON core.task_ai_score (data_version, model, task_id);

CREATE TABLE IF NOT EXISTS core.scoring_failure (
    failure_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id          bigint NOT NULL REFERENCES core.model_run (run_id) ON DELETE CASCADE,
    data_version    text NOT NULL,
    task_id         integer NOT NULL,
    model           text NOT NULL,
    call_key        text,
    error_kind      text NOT NULL,
    message         text NOT NULL,
    attempts        integer NOT NULL,
    paid_attempts   integer NOT NULL DEFAULT 0,
    cost_usd        numeric(14, 8) NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX IF NOT EXISTS scoring_failure_run_idx ON core.scoring_failure (run_id);

CREATE TABLE IF NOT EXISTS core.llm_batch (
    batch_id        text PRIMARY KEY,
    run_id          bigint NOT NULL REFERENCES core.model_run (run_id) ON DELETE CASCADE,
    model           text NOT NULL,
    provider        text NOT NULL,
    status          text NOT NULL CHECK (status IN ('submitted', 'collected')),
    -- call_key -> [data_version, task_id]: enough to re-render each prompt when collecting after a crash
    requests        jsonb NOT NULL,
    n_requests      integer NOT NULL,
    reserved_usd    numeric(14, 8) NOT NULL,
    provider_status text,
    submitted_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    collected_at    timestamptz
);
"""


def ensure_tables(conn: psycopg.Connection) -> None:
    """Create schema `core` and the scoring tables if missing (safe to call from concurrent processes)."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended('occurisk.scoring.ddl', 0))")
        conn.execute(DDL)
    # The task endpoint reads scores and runs directly.
    data_generation.ensure(conn, ("core.task_ai_score", "core.model_run"))
