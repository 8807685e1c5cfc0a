"""The `assistant` schema: people's profiles (personal data), written only by the role `occurisk_assistant`.

Idempotent DDL, run by the database owner (`occurisk db start`, the test sessions, `ensure_server`). The
read API's connections never see these tables: PUBLIC has no access to the schema; only the assistant role
(and the owner) does. Every row of a profile hangs off `assistant.profile` with ON DELETE CASCADE, so
"delete everything" is one DELETE.
"""

from __future__ import annotations

import psycopg

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

DDL = [
    SCHEMA_DDL,
    PROFILE_DDL,
    "CREATE INDEX IF NOT EXISTS profile_last_opened_at ON assistant.profile (last_opened_at)",
    """CREATE TABLE IF NOT EXISTS assistant.job (
        profile_id text NOT NULL REFERENCES assistant.profile (id) ON DELETE CASCADE,
        ordinal integer NOT NULL,
        soc_code text NOT NULL,
        title text NOT NULL,
        employer text,
        start_year integer,
        end_year integer,
        duties text[] NOT NULL DEFAULT '{}',
        PRIMARY KEY (profile_id, ordinal)
    )""",
    """CREATE TABLE IF NOT EXISTS assistant.job_task (
        profile_id text NOT NULL,
        ordinal integer NOT NULL,
        task_id integer NOT NULL,
        PRIMARY KEY (profile_id, ordinal, task_id),
        FOREIGN KEY (profile_id, ordinal) REFERENCES assistant.job (profile_id, ordinal) ON DELETE CASCADE
    )""",
    """CREATE TABLE IF NOT EXISTS assistant.document (
        profile_id text NOT NULL REFERENCES assistant.profile (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('resume', 'cover_letter')),
        body jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (profile_id, kind)
    )""",
    # Rewrites an LLM made of a profile's text: cached so a retry never pays twice, deleted with the profile.
    """CREATE TABLE IF NOT EXISTS assistant.llm_rewrite (
        profile_id text NOT NULL REFERENCES assistant.profile (id) ON DELETE CASCADE,
        prompt_sha256 text NOT NULL,
        model text NOT NULL,
        reply text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (profile_id, prompt_sha256, model)
    )""",
]

TABLES = ["profile", "job", "job_task", "document", "llm_rewrite"]
# Made by the alembic migration 0006 (a person's outcomes of postings); granted here too, when present, for
# a server where the role did not exist yet when the migration ran.
MIGRATED_TABLES = ["posting_outcome", "posting_outcome_change"]


def ensure_assistant_schema(conn: psycopg.Connection) -> None:
    """Create the schema, its tables and its role if missing; (re)apply the grants. Safe to re-run."""
    with conn.transaction():
        # One creator at a time: parallel starts would race on CREATE ROLE / CREATE TABLE.
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('occurisk.assistant_schema'))")
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [ASSISTANT_ROLE]).fetchone()
        if not exists:
            conn.execute(f"CREATE ROLE {ASSISTANT_ROLE} LOGIN")
        for statement in DDL:
            conn.execute(statement)
        conn.execute("REVOKE ALL ON SCHEMA assistant FROM PUBLIC")
        conn.execute(f"GRANT USAGE ON SCHEMA assistant TO {ASSISTANT_ROLE}")
        present = [
            t
            for t in MIGRATED_TABLES
            if conn.execute("SELECT to_regclass(%s) IS NOT NULL", [f"assistant.{t}"]).fetchone()[0]
        ]
        tables = ", ".join(f"assistant.{t}" for t in [*TABLES, *present])
        conn.execute(f"REVOKE ALL ON {tables} FROM PUBLIC")
        conn.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {tables} TO {ASSISTANT_ROLE}")
        # The assistant reads the platform (tasks, scores, skills) but writes nowhere else.
        for schema in ("marts", "core", "bls", "onet_raw", "careers", "staging", "intermediate"):
            if conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema]).fetchone():
                conn.execute(f"GRANT USAGE ON SCHEMA {schema} TO {ASSISTANT_ROLE}")
                conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {ASSISTANT_ROLE}")
                conn.execute(
                    f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT ON TABLES TO {ASSISTANT_ROLE}"
                )
