"""One build per O*NET version: core.version_build_claim holds the run that is building each version
(occurisk_assets/runs/build_lock.py). The launching command claims the version before it submits its run; a run
launched from the UI, a sensor or a backfill claims it at its first step; the raw loader writes only for the
claim's run and records the fingerprint of the files it loaded, which the run checks before the version is
marked complete. A claim counts only while its run lives: a crashed run's claim is taken over.

Revision ID: 0012
"""

from alembic import op

from occurisk_assets.migrations.sql import run_sql

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(
        op,
        """
CREATE TABLE core.version_build_claim (
    data_version       text PRIMARY KEY,
    -- the Dagster run that holds it (named like core.data_version.build_run_id; core's `run_id` columns
    -- are scoring runs, which retention archives by that name)
    build_run_id       text NOT NULL,
    claimed_at         timestamptz NOT NULL DEFAULT now(),
    loaded_fingerprint text
);
""",
    )


def downgrade() -> None:
    run_sql(op, "DROP TABLE core.version_build_claim;")
