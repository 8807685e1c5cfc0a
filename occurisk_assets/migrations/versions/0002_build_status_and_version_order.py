"""Version build status (only complete versions are served) and the one SQL version ordering.

- core.data_version.build_status: `building` from the raw load of new content until the version's last
  product (its diff report) is written, then `complete`; `failed` when its run failed or died. built_at is
  when it last completed, build_run_id the Dagster run that built (or is building) it.
- core.version_sort_key(text): the SQL twin of occurisk_assets.versions.version_sort_key — numeric parts
  compare as numbers, other parts after numbers as text ('29.1' < '30.0' < '30.1' < '30.10' < '30.1a').

Revision ID: 0002
"""

from alembic import op

from occurisk_assets.migrations.sql import run_sql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(
        op,
        r"""
ALTER TABLE core.data_version
    ADD COLUMN build_status text NOT NULL DEFAULT 'building'
        CHECK (build_status IN ('building', 'complete', 'failed')),
    ADD COLUMN built_at     timestamptz,
    ADD COLUMN build_run_id text,
    ADD COLUMN build_error  text;
-- A version whose diff report exists went through the whole graph before build status existed.
UPDATE core.data_version SET build_status = 'complete', built_at = coalesce(loaded_at, now())
WHERE id IN (SELECT data_version FROM core.version_diff);

-- bytea parts compare byte by byte, whatever the database's collation.
CREATE FUNCTION core.version_sort_key(version text) RETURNS bytea[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT array_agg(
               convert_to(CASE WHEN part ~ '^[0-9]+$' THEN '0' || lpad(ltrim(part, '0'), 20, '0')
                               ELSE '1' || part END, 'UTF8')
               ORDER BY n)
    FROM unnest(string_to_array(version, '.')) WITH ORDINALITY AS p(part, n)
$$;
""",
    )


def downgrade() -> None:
    run_sql(
        op,
        """
DROP FUNCTION core.version_sort_key(text);
ALTER TABLE core.data_version DROP COLUMN build_status, DROP COLUMN built_at, DROP COLUMN build_run_id,
    DROP COLUMN build_error;
""",
    )
