"""The platform's tables as they were before migrations: schemas core, bls, onet_raw; the O*NET version
registry and release manifest, scoring runs and calls, the release lifecycle journals, the BLS tables.

IF NOT EXISTS only here: a database built before migrations existed is adopted as it is.

Revision ID: 0001
"""

from alembic import op

from occurisk_assets.migrations.sql import run_sql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

DDL = r"""
CREATE SCHEMA IF NOT EXISTS onet_raw;
CREATE SCHEMA IF NOT EXISTS core;
CREATE TABLE IF NOT EXISTS core.data_version (
    id            text PRIMARY KEY,
    release_date  date,
    is_active     boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    loaded_at     timestamptz,
    source        text,
    notes         text
);
-- Exactly one active version: at most one row may hold is_active = true.
CREATE UNIQUE INDEX IF NOT EXISTS data_version_one_active ON core.data_version (is_active) WHERE is_active;
CREATE TABLE IF NOT EXISTS core.release_files (
    data_version  text NOT NULL REFERENCES core.data_version (id) ON DELETE CASCADE,
    file_name     text NOT NULL,
    table_name    text NOT NULL,
    present       boolean NOT NULL,
    required      boolean NOT NULL,
    known_file    boolean NOT NULL,
    rows          integer,
    bytes         bigint,
    sha256        text,
    header        text[],
    loaded_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (data_version, file_name)
);
CREATE TABLE IF NOT EXISTS core.model_run (
    run_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model           text NOT NULL,
    provider        text NOT NULL,
    model_version   text NOT NULL,
    prompt_version  text NOT NULL,
    data_version    text NOT NULL,
    mode            text NOT NULL CHECK (mode IN ('online', 'batch', 'published')),
    status          text NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'stopped_budget', 'interrupted')),
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
    params          jsonb NOT NULL DEFAULT '{}'::jsonb,
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
CREATE SCHEMA IF NOT EXISTS bls;

CREATE TABLE IF NOT EXISTS bls.bls_oews_metrics (
    ref_year_month      text NOT NULL CHECK (ref_year_month ~ '^\d{4}-\d{2}$'),
    soc_code            text NOT NULL CHECK (soc_code ~ '^\d{2}-\d{4}$'),
    o_group             text NOT NULL CHECK (o_group IN ('total', 'major', 'minor', 'broad', 'detailed')),
    aggregated_to_broad boolean NOT NULL,
    title               text NOT NULL,
    annual_only         boolean NOT NULL,
    hourly_only         boolean NOT NULL,
    employment integer,
    employment_flag text CHECK (employment_flag IN ('suppressed', 'top_coded')),
    CONSTRAINT employment_null_iff_flagged CHECK ((employment IS NULL) <> (employment_flag IS NULL)),
    employment_prse numeric,
    employment_prse_flag text CHECK (employment_prse_flag IN ('suppressed', 'top_coded')),
    CONSTRAINT employment_prse_null_iff_flagged CHECK ((employment_prse IS NULL) <> (employment_prse_flag IS NULL)),
    mean_hourly_wage numeric,
    mean_hourly_wage_flag text CHECK (mean_hourly_wage_flag IN ('suppressed', 'top_coded')),
    CONSTRAINT mean_hourly_wage_null_iff_flagged CHECK ((mean_hourly_wage IS NULL) <> (mean_hourly_wage_flag IS NULL)),
    mean_annual_wage integer,
    mean_annual_wage_flag text CHECK (mean_annual_wage_flag IN ('suppressed', 'top_coded')),
    CONSTRAINT mean_annual_wage_null_iff_flagged CHECK ((mean_annual_wage IS NULL) <> (mean_annual_wage_flag IS NULL)),
    mean_wage_prse numeric,
    mean_wage_prse_flag text CHECK (mean_wage_prse_flag IN ('suppressed', 'top_coded')),
    CONSTRAINT mean_wage_prse_null_iff_flagged CHECK ((mean_wage_prse IS NULL) <> (mean_wage_prse_flag IS NULL)),
    hourly_wage_p10 numeric,
    hourly_wage_p10_flag text CHECK (hourly_wage_p10_flag IN ('suppressed', 'top_coded')),
    CONSTRAINT hourly_wage_p10_null_iff_flagged CHECK ((hourly_wage_p10 IS NULL) <> (hourly_wage_p10_flag IS NULL)),
    hourly_wage_p25 numeric,
    hourly_wage_p25_flag text CHECK (hourly_wage_p25_flag IN ('suppressed', 'top_coded')),
    CONSTRAINT hourly_wage_p25_null_iff_flagged CHECK ((hourly_wage_p25 IS NULL) <> (hourly_wage_p25_flag IS NULL)),
    median_hourly_wage numeric,
    median_hourly_wage_flag text CHECK (median_hourly_wage_flag IN ('suppressed', 'top_coded')),
    CONSTRAINT median_hourly_wage_null_iff_flagged CHECK ((median_hourly_wage IS NULL) <> (median_hourly_wage_flag IS NULL)),
    hourly_wage_p75 numeric,
    hourly_wage_p75_flag text CHECK (hourly_wage_p75_flag IN ('suppressed', 'top_coded')),
    CONSTRAINT hourly_wage_p75_null_iff_flagged CHECK ((hourly_wage_p75 IS NULL) <> (hourly_wage_p75_flag IS NULL)),
    hourly_wage_p90 numeric,
    hourly_wage_p90_flag text CHECK (hourly_wage_p90_flag IN ('suppressed', 'top_coded')),
    CONSTRAINT hourly_wage_p90_null_iff_flagged CHECK ((hourly_wage_p90 IS NULL) <> (hourly_wage_p90_flag IS NULL)),
    annual_wage_p10 integer,
    annual_wage_p10_flag text CHECK (annual_wage_p10_flag IN ('suppressed', 'top_coded')),
    CONSTRAINT annual_wage_p10_null_iff_flagged CHECK ((annual_wage_p10 IS NULL) <> (annual_wage_p10_flag IS NULL)),
    annual_wage_p25 integer,
    annual_wage_p25_flag text CHECK (annual_wage_p25_flag IN ('suppressed', 'top_coded')),
    CONSTRAINT annual_wage_p25_null_iff_flagged CHECK ((annual_wage_p25 IS NULL) <> (annual_wage_p25_flag IS NULL)),
    median_annual_wage integer,
    median_annual_wage_flag text CHECK (median_annual_wage_flag IN ('suppressed', 'top_coded')),
    CONSTRAINT median_annual_wage_null_iff_flagged CHECK ((median_annual_wage IS NULL) <> (median_annual_wage_flag IS NULL)),
    annual_wage_p75 integer,
    annual_wage_p75_flag text CHECK (annual_wage_p75_flag IN ('suppressed', 'top_coded')),
    CONSTRAINT annual_wage_p75_null_iff_flagged CHECK ((annual_wage_p75 IS NULL) <> (annual_wage_p75_flag IS NULL)),
    annual_wage_p90 integer,
    annual_wage_p90_flag text CHECK (annual_wage_p90_flag IN ('suppressed', 'top_coded')),
    CONSTRAINT annual_wage_p90_null_iff_flagged CHECK ((annual_wage_p90 IS NULL) <> (annual_wage_p90_flag IS NULL)),
    sheet_row           integer NOT NULL,
    loaded_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (ref_year_month, soc_code)
);

CREATE TABLE IF NOT EXISTS bls.bls_proj_metrics (
    projection_period   text NOT NULL CHECK (projection_period ~ '^\d{4}-\d{4}$'),
    soc_code            text NOT NULL CHECK (soc_code ~ '^\d{2}-\d{4}$'),
    title               text NOT NULL,
    occupation_type     text NOT NULL CHECK (occupation_type IN ('line_item', 'summary')),
    employment_base integer,
    employment_base_flag text CHECK (employment_base_flag IN ('suppressed', 'top_coded')),
    CONSTRAINT employment_base_null_iff_flagged CHECK ((employment_base IS NULL) <> (employment_base_flag IS NULL)),
    employment_projected integer,
    employment_projected_flag text CHECK (employment_projected_flag IN ('suppressed', 'top_coded')),
    CONSTRAINT employment_projected_null_iff_flagged CHECK ((employment_projected IS NULL) <> (employment_projected_flag IS NULL)),
    employment_share_base numeric,
    employment_share_base_flag text CHECK (employment_share_base_flag IN ('suppressed', 'top_coded')),
    CONSTRAINT employment_share_base_null_iff_flagged CHECK ((employment_share_base IS NULL) <> (employment_share_base_flag IS NULL)),
    employment_share_projected numeric,
    employment_share_projected_flag text CHECK (employment_share_projected_flag IN ('suppressed', 'top_coded')),
    CONSTRAINT employment_share_projected_null_iff_flagged CHECK ((employment_share_projected IS NULL) <> (employment_share_projected_flag IS NULL)),
    employment_change integer,
    employment_change_flag text CHECK (employment_change_flag IN ('suppressed', 'top_coded')),
    CONSTRAINT employment_change_null_iff_flagged CHECK ((employment_change IS NULL) <> (employment_change_flag IS NULL)),
    growth_pct numeric,
    growth_pct_flag text CHECK (growth_pct_flag IN ('suppressed', 'top_coded')),
    CONSTRAINT growth_pct_null_iff_flagged CHECK ((growth_pct IS NULL) <> (growth_pct_flag IS NULL)),
    self_employed_pct numeric,
    self_employed_pct_flag text CHECK (self_employed_pct_flag IN ('suppressed', 'top_coded')),
    CONSTRAINT self_employed_pct_null_iff_flagged CHECK ((self_employed_pct IS NULL) <> (self_employed_pct_flag IS NULL)),
    annual_openings integer,
    annual_openings_flag text CHECK (annual_openings_flag IN ('suppressed', 'top_coded')),
    CONSTRAINT annual_openings_null_iff_flagged CHECK ((annual_openings IS NULL) <> (annual_openings_flag IS NULL)),
    median_annual_wage integer,
    median_annual_wage_flag text CHECK (median_annual_wage_flag IN ('suppressed', 'top_coded')),
    CONSTRAINT median_annual_wage_null_iff_flagged CHECK ((median_annual_wage IS NULL) <> (median_annual_wage_flag IS NULL)),
    typical_education   text,
    work_experience     text,
    on_the_job_training text,
    sheet_row           integer NOT NULL,
    loaded_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (projection_period, soc_code)
);

CREATE TABLE IF NOT EXISTS bls.nem_onet_crosswalk (
    projection_period   text NOT NULL,
    onetsoc_code        text NOT NULL CHECK (onetsoc_code ~ '^\d{2}-\d{4}\.\d{2}$'),
    onetsoc_title       text NOT NULL,
    nem_code            text NOT NULL CHECK (nem_code ~ '^\d{2}-\d{4}$'),
    nem_title           text NOT NULL,
    sheet_row           integer NOT NULL,
    loaded_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (projection_period, onetsoc_code)
);

CREATE TABLE IF NOT EXISTS bls.nem_occupational_coverage (
    projection_period   text NOT NULL,
    nem_code            text NOT NULL CHECK (nem_code ~ '^\d{2}-\d{4}$'),
    title               text NOT NULL,
    occupation_type     text NOT NULL CHECK (occupation_type IN ('line_item', 'summary', 'exclude')),
    level               smallint NOT NULL,
    sheet_row           integer NOT NULL,
    loaded_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (projection_period, nem_code)
);

CREATE TABLE IF NOT EXISTS bls.soc_2010_2018_crosswalk (
    soc_2010_code       text NOT NULL,
    soc_2010_title      text NOT NULL,
    soc_2018_code       text NOT NULL,
    soc_2018_title      text NOT NULL,
    sheet_row           integer NOT NULL,
    loaded_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (soc_2010_code, soc_2018_code)
);

-- One row per O*NET SOC code of a data_version: which OEWS row and which projections row describe it.
CREATE TABLE IF NOT EXISTS bls.soc_bls_link (
    data_version        text NOT NULL,
    soc_code            text NOT NULL,
    ref_year_month      text NOT NULL,
    oews_soc_code       text,
    oews_match_type     text NOT NULL CHECK (oews_match_type IN ('exact', 'crosswalk', 'aggregate', 'soc_2010', 'none')),
    projection_period   text NOT NULL,
    proj_soc_code       text,
    proj_match_type     text NOT NULL CHECK (proj_match_type IN ('exact', 'crosswalk', 'aggregate', 'soc_2010', 'none')),
    built_at            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (data_version, soc_code),
    CHECK ((oews_soc_code IS NULL) = (oews_match_type = 'none')),
    CHECK ((proj_soc_code IS NULL) = (proj_match_type = 'none'))
);

CREATE OR REPLACE VIEW bls.soc_bls_metrics AS
SELECT l.data_version, l.soc_code,
       l.ref_year_month, l.oews_soc_code, l.oews_match_type,
       o.title AS oews_title, o.employment, o.employment_flag,
       o.median_annual_wage, o.median_annual_wage_flag, o.median_hourly_wage, o.median_hourly_wage_flag,
       o.mean_annual_wage, o.mean_annual_wage_flag,
       l.projection_period, l.proj_soc_code, l.proj_match_type,
       p.title AS proj_title, p.employment_base, p.employment_projected, p.employment_change,
       p.growth_pct, p.annual_openings, p.median_annual_wage AS proj_median_annual_wage,
       p.median_annual_wage_flag AS proj_median_annual_wage_flag,
       p.typical_education, p.work_experience, p.on_the_job_training
FROM bls.soc_bls_link l
LEFT JOIN bls.bls_oews_metrics o ON o.ref_year_month = l.ref_year_month AND o.soc_code = l.oews_soc_code
LEFT JOIN bls.bls_proj_metrics p ON p.projection_period = l.projection_period AND p.soc_code = l.proj_soc_code;
"""


def upgrade() -> None:
    run_sql(op, DDL)


def downgrade() -> None:
    run_sql(
        op,
        "DROP SCHEMA IF EXISTS bls CASCADE; DROP SCHEMA IF EXISTS core CASCADE; DROP SCHEMA IF EXISTS onet_raw CASCADE",
    )
