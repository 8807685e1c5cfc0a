"""The Anthropic Economic Index (occurisk_assets/aei): each release's files, kept side by side (keyed by
`aei_release`), with provenance (aei.release, aei.release_file: rows, bytes, sha256, header), and the match
of each release's task texts to the O*NET task ids of each data_version (aei.task_match).

Revision ID: 0016
"""

from alembic import op

from occurisk_assets.migrations.sql import run_sql

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

DDL = r"""
CREATE SCHEMA IF NOT EXISTS aei;
CREATE TABLE IF NOT EXISTS aei.release (
    aei_release   text PRIMARY KEY,
    published_on  date NOT NULL,
    citation      text NOT NULL,
    source        text NOT NULL,
    run_id        text,
    loaded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS aei.release_file (
    aei_release   text NOT NULL REFERENCES aei.release ON DELETE CASCADE,
    file_name     text NOT NULL,
    table_name    text NOT NULL,
    rows          integer NOT NULL,
    bytes         bigint NOT NULL,
    sha256        text NOT NULL,
    header        text[] NOT NULL,
    PRIMARY KEY (aei_release, file_name)
);
-- labor_market_impacts/job_exposure.csv: observed exposure (0-1) of each SOC 2018 occupation.
CREATE TABLE IF NOT EXISTS aei.job_exposure (
    aei_release       text NOT NULL REFERENCES aei.release ON DELETE CASCADE,
    line_no           integer NOT NULL,
    soc_code          text NOT NULL,
    title             text NOT NULL,
    observed_exposure double precision NOT NULL CHECK (observed_exposure BETWEEN 0 AND 1),
    PRIMARY KEY (aei_release, line_no)
);
-- labor_market_impacts/task_penetration.csv: penetration (0-1) of each O*NET task statement, by text.
CREATE TABLE IF NOT EXISTS aei.task_penetration (
    aei_release   text NOT NULL REFERENCES aei.release ON DELETE CASCADE,
    line_no       integer NOT NULL,
    task_text     text NOT NULL,
    penetration   double precision NOT NULL CHECK (penetration BETWEEN 0 AND 1),
    PRIMARY KEY (aei_release, line_no)
);
-- onet_task_mappings.csv / task_pct_v2.csv: percent of the release's conversations per task (lower-cased text).
CREATE TABLE IF NOT EXISTS aei.task_usage (
    aei_release   text NOT NULL REFERENCES aei.release ON DELETE CASCADE,
    line_no       integer NOT NULL,
    task_text     text NOT NULL,
    pct           double precision NOT NULL CHECK (pct >= 0),
    PRIMARY KEY (aei_release, line_no)
);
-- automation_vs_augmentation_by_task.csv: share (0-1) of each interaction pattern per task.
CREATE TABLE IF NOT EXISTS aei.task_interaction (
    aei_release    text NOT NULL REFERENCES aei.release ON DELETE CASCADE,
    line_no        integer NOT NULL,
    task_text      text NOT NULL,
    feedback_loop  double precision NOT NULL,
    directive      double precision NOT NULL,
    task_iteration double precision NOT NULL,
    validation     double precision NOT NULL,
    learning       double precision NOT NULL,
    filtered       double precision NOT NULL,
    PRIMARY KEY (aei_release, line_no)
);
-- automation_vs_augmentation.csv: percent of the release's conversations per interaction pattern.
CREATE TABLE IF NOT EXISTS aei.interaction_share (
    aei_release      text NOT NULL REFERENCES aei.release ON DELETE CASCADE,
    line_no          integer NOT NULL,
    interaction_type text NOT NULL,
    pct              double precision NOT NULL CHECK (pct BETWEEN 0 AND 100),
    PRIMARY KEY (aei_release, line_no)
);
-- One row per (task text, O*NET task) matched, and one row with NULL task_id per text left unmatched.
CREATE TABLE IF NOT EXISTS aei.task_match (
    aei_release   text NOT NULL REFERENCES aei.release ON DELETE CASCADE,
    data_version  text NOT NULL,
    task_text     text NOT NULL,
    onetsoc_code  text,
    task_id       integer,
    method        text NOT NULL CHECK (method IN ('exact', 'normalised', 'older_wording', 'similar', 'none')),
    similarity    double precision,
    matched_text  text,
    CHECK ((method = 'none') = (task_id IS NULL))
);
CREATE UNIQUE INDEX IF NOT EXISTS task_match_unique
    ON aei.task_match (aei_release, data_version, task_text, coalesce(task_id, -1), coalesce(onetsoc_code, ''));
"""


def upgrade() -> None:
    run_sql(op, DDL)


def downgrade() -> None:
    run_sql(op, "DROP SCHEMA IF EXISTS aei CASCADE;")
