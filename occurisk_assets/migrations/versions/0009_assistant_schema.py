"""The `assistant` schema: people's profiles (personal data, docs/data_model.md "Assistant"), and its grants.

The role `occurisk_assistant` (made with the platform's roles, occurisk_assets/lib/roles.py) is the only writer
of the schema and reads the platform (tasks, scores, skills) but writes nowhere else; PUBLIC — so the read
API's role — has no access to the schema at all. Every row of a profile hangs off `assistant.profile` with
ON DELETE CASCADE, so "delete everything" is one DELETE. Tables made in the schema later (by newer
migrations) get the assistant's privileges by default.

IF NOT EXISTS: a database whose schema the API made at start before this migration is adopted as it is (and
0006 made the schema and `profile` already, for the posting outcomes).

Revision ID: 0009
"""

from alembic import op

from occurisk_assets.migrations.sql import run_sql

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

DDL = """
CREATE SCHEMA IF NOT EXISTS assistant;
CREATE TABLE IF NOT EXISTS assistant.profile (
    id               text PRIMARY KEY CHECK (length(id) >= 22),
    data_version     text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    last_opened_at   timestamptz NOT NULL DEFAULT now(),
    target_soc_code  text,
    age_neutral      boolean NOT NULL DEFAULT false,
    llm_opt_in       boolean NOT NULL DEFAULT false
);
CREATE INDEX IF NOT EXISTS profile_last_opened_at ON assistant.profile (last_opened_at);
CREATE TABLE IF NOT EXISTS assistant.job (
    profile_id   text NOT NULL REFERENCES assistant.profile (id) ON DELETE CASCADE,
    ordinal      integer NOT NULL,
    soc_code     text NOT NULL,
    title        text NOT NULL,
    employer     text,
    start_year   integer,
    end_year     integer,
    duties       text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (profile_id, ordinal)
);
CREATE TABLE IF NOT EXISTS assistant.job_task (
    profile_id   text NOT NULL,
    ordinal      integer NOT NULL,
    task_id      integer NOT NULL,
    PRIMARY KEY (profile_id, ordinal, task_id),
    FOREIGN KEY (profile_id, ordinal) REFERENCES assistant.job (profile_id, ordinal) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS assistant.document (
    profile_id   text NOT NULL REFERENCES assistant.profile (id) ON DELETE CASCADE,
    kind         text NOT NULL CHECK (kind IN ('resume', 'cover_letter')),
    body         jsonb NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (profile_id, kind)
);
-- Rewrites an LLM made of a profile's text: cached so a retry never pays twice, deleted with the profile.
CREATE TABLE IF NOT EXISTS assistant.llm_rewrite (
    profile_id     text NOT NULL REFERENCES assistant.profile (id) ON DELETE CASCADE,
    prompt_sha256  text NOT NULL,
    model          text NOT NULL,
    reply          text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (profile_id, prompt_sha256, model)
);
"""

GRANTS = """
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'occurisk_assistant') THEN
        RAISE EXCEPTION 'the role occurisk_assistant does not exist'
            USING HINT = 'an administrator creates it with the platform''s roles (docs/operations.md)';
    END IF;
END $$;
REVOKE ALL ON SCHEMA assistant FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA assistant FROM PUBLIC;
GRANT USAGE ON SCHEMA assistant TO occurisk_assistant;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA assistant TO occurisk_assistant;
ALTER DEFAULT PRIVILEGES IN SCHEMA assistant GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO occurisk_assistant;

-- Reading the platform: what exists now, and what the owner (dbt, the loaders) makes later.
GRANT USAGE ON SCHEMA marts, core, bls, onet_raw, careers, staging, intermediate TO occurisk_assistant;
GRANT SELECT ON ALL TABLES IN SCHEMA marts, core, bls, onet_raw, careers, staging, intermediate
    TO occurisk_assistant;
ALTER DEFAULT PRIVILEGES IN SCHEMA marts, core, bls, onet_raw, careers, staging, intermediate
    GRANT SELECT ON TABLES TO occurisk_assistant;
"""


def upgrade() -> None:
    run_sql(op, DDL)
    run_sql(op, GRANTS)


def downgrade() -> None:
    run_sql(
        op,
        """
ALTER DEFAULT PRIVILEGES IN SCHEMA marts, core, bls, onet_raw, careers, staging, intermediate
    REVOKE SELECT ON TABLES FROM occurisk_assistant;
REVOKE SELECT ON ALL TABLES IN SCHEMA marts, core, bls, onet_raw, careers, staging, intermediate
    FROM occurisk_assistant;
REVOKE USAGE ON SCHEMA marts, core, bls, onet_raw, careers, staging, intermediate FROM occurisk_assistant;
ALTER DEFAULT PRIVILEGES IN SCHEMA assistant REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM occurisk_assistant;
-- The schema, `profile` and the posting outcomes are 0006's.
DROP TABLE assistant.llm_rewrite, assistant.document, assistant.job_task, assistant.job;
DROP INDEX assistant.profile_last_opened_at;
REVOKE SELECT, INSERT, UPDATE, DELETE ON assistant.profile FROM occurisk_assistant;
""",
    )
