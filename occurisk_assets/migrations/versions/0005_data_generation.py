"""The data generation the response cache is keyed by (occurisk_assets/lib/data_generation.py): its counters,
the bump functions, and the statement trigger on every Python-written table the API and pages serve. dbt
marts get theirs from their post-hook.

Revision ID: 0005
"""

from alembic import op

from occurisk_assets.migrations.sql import run_sql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The SQL as of this revision, frozen here: later revisions change it with their own statements.
DDL = """
CREATE SCHEMA IF NOT EXISTS core;
CREATE SEQUENCE IF NOT EXISTS core.data_generation_slot;
CREATE TABLE IF NOT EXISTS core.data_generation (
    slot         integer PRIMARY KEY,
    generation   bigint NOT NULL,
    last_source  text NOT NULL,
    changed_at   timestamptz NOT NULL DEFAULT now()
);
CREATE OR REPLACE FUNCTION core.bump_data_generation_for(changed text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    this_transaction text := txid_current()::text;
    free_slot integer;
BEGIN
    IF current_setting('occurisk.data_generation_bumped', true) = this_transaction THEN
        RETURN;  -- once per transaction is enough: the change shows at its commit
    END IF;
    SELECT slot INTO free_slot FROM core.data_generation ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED;
    IF free_slot IS NULL THEN
        INSERT INTO core.data_generation (slot, generation, last_source)
        VALUES (nextval('core.data_generation_slot'), 1, changed);
    ELSE
        UPDATE core.data_generation SET generation = generation + 1, last_source = changed, changed_at = now()
        WHERE slot = free_slot;
    END IF;
    PERFORM set_config('occurisk.data_generation_bumped', this_transaction, true);
END $$;
CREATE OR REPLACE FUNCTION core.bump_data_generation() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    PERFORM core.bump_data_generation_for(TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME);
    RETURN NULL;
END $$;
"""

# The Python-written tables the API and pages read, as of this revision (the trigger goes on those that
# exist then; 0007 puts it on the careers tables it makes).
WATCHED_TABLES = (
    "core.data_version",
    "core.task_ai_score",
    "core.model_run",
    "core.version_diff",
    "bls.bls_oews_metrics",
    "bls.bls_proj_metrics",
    "bls.soc_bls_link",
    "careers.occupation_similarity",
    "careers.similarity_build",
)


def trigger_sql(table: str) -> str:
    """The trigger on `table` (schema-qualified), created only when the table exists and lacks it."""
    return f"""DO $$ BEGIN
    IF to_regclass('{table}') IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass('{table}') AND tgname = 'bump_data_generation') THEN
        CREATE TRIGGER bump_data_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION core.bump_data_generation();
    END IF;
END $$;"""


def upgrade() -> None:
    run_sql(op, DDL)
    for table in WATCHED_TABLES:
        run_sql(op, trigger_sql(table))


def downgrade() -> None:
    run_sql(op, "DROP FUNCTION IF EXISTS core.bump_data_generation() CASCADE")
    run_sql(op, "DROP FUNCTION IF EXISTS core.bump_data_generation_for(text)")
    run_sql(
        op, "DROP TABLE IF EXISTS core.data_generation; DROP SEQUENCE IF EXISTS core.data_generation_slot"
    )
