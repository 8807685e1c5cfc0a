"""The *data generation*: a number that changes whenever anything the API or the web pages serve changes —
the active version switches, a mart of a version is rebuilt, scores or BLS figures are written, a version is
archived or restored. The response cache (api/cache.py) keys every answer by it, so no cached answer can
outlive the data it was built from.

Each writing transaction bumps a counter of `core.data_generation` *inside that transaction*, once — from a
statement trigger on every served table, and from the post-hook of every dbt mart — so the new generation
becomes visible exactly when the new data does: a reader that sees the old generation may cache new data
under it (harmless: that key is dead at once), never old data under the new one. The generation is the sum
of the counters. A transaction takes a counter row no other open transaction holds (`SKIP LOCKED`, a new
row when all are taken), so concurrent writers never wait for each other; the table has as many rows as
there were ever writers at once.

The migrations create the counters, the functions and the triggers (0005, and the revision of each watched
table made later).
"""

from __future__ import annotations

import psycopg

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

# The Python-written tables the API and pages read, as of migration 0005 (which puts the trigger on those
# that exist then; 0007 on the careers tables it makes).
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


# What the API reads per request before it looks in the cache.
CURRENT_GENERATION = "SELECT coalesce(sum(generation), 0)::bigint AS generation FROM core.data_generation"


def current(conn: psycopg.Connection) -> int:
    return conn.execute(CURRENT_GENERATION).fetchone()[0]
