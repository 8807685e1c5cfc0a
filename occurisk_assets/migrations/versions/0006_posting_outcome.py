"""A person's outcomes of job postings (applied / interview / offer / rejected): the current outcome per
profile and posting, and every change with its time — the labelled data a future acceptance model needs.
Personal data: in the `assistant` schema, hanging off `assistant.profile` with ON DELETE CASCADE, so
"delete everything" removes them; only the assistant role may read or write them.

The profile table is made here when missing (as 0009 makes it), since the outcomes' foreign key needs it.
`posting_id` is not a foreign key: the postings schema is the platform's, and the person's label outlives a
posting that is pruned.

Revision ID: 0006
"""

from alembic import op

from occurisk_assets.migrations.sql import run_sql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ASSISTANT_ROLE = "occurisk_assistant"
SCHEMA_DDL = "CREATE SCHEMA IF NOT EXISTS assistant"
PROFILE_DDL = """CREATE TABLE IF NOT EXISTS assistant.profile (
        id text PRIMARY KEY CHECK (length(id) >= 22),
        data_version text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_opened_at timestamptz NOT NULL DEFAULT now(),
        target_soc_code text,
        age_neutral boolean NOT NULL DEFAULT false,
        llm_opt_in boolean NOT NULL DEFAULT false
    )"""
OUTCOMES = "('applied', 'interview', 'offer', 'rejected')"

DDL = f"""
CREATE TABLE assistant.posting_outcome (
    profile_id  text NOT NULL REFERENCES assistant.profile (id) ON DELETE CASCADE,
    posting_id  bigint NOT NULL,
    outcome     text NOT NULL CHECK (outcome IN {OUTCOMES}),
    updated_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (profile_id, posting_id)
);
CREATE TABLE assistant.posting_outcome_change (
    profile_id  text NOT NULL REFERENCES assistant.profile (id) ON DELETE CASCADE,
    posting_id  bigint NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    outcome     text NOT NULL CHECK (outcome IN {OUTCOMES}),
    PRIMARY KEY (profile_id, posting_id, changed_at)
);
REVOKE ALL ON SCHEMA assistant FROM PUBLIC;
REVOKE ALL ON assistant.posting_outcome, assistant.posting_outcome_change FROM PUBLIC;
"""

GRANT = f"""
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{ASSISTANT_ROLE}') THEN
    GRANT USAGE ON SCHEMA assistant TO {ASSISTANT_ROLE};
    GRANT SELECT, INSERT, UPDATE, DELETE ON assistant.posting_outcome, assistant.posting_outcome_change
      TO {ASSISTANT_ROLE};
  END IF;
END $$;
"""


def upgrade() -> None:
    run_sql(op, SCHEMA_DDL)
    run_sql(op, PROFILE_DDL)
    run_sql(op, DDL)
    run_sql(op, GRANT)


def downgrade() -> None:
    run_sql(op, "DROP TABLE assistant.posting_outcome_change; DROP TABLE assistant.posting_outcome;")
