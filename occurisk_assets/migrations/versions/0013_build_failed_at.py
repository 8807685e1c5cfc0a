"""When a build last failed: `occurisk versions list` says "rebuild failed at <time>" for a complete version
whose rebuild (under its key "<version>~new", occurisk_assets/versions.py) failed while it stayed served.

Revision ID: 0013
"""

from alembic import op

from occurisk_assets.migrations.sql import run_sql

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(op, "ALTER TABLE core.data_version ADD COLUMN IF NOT EXISTS failed_at timestamptz;")


def downgrade() -> None:
    run_sql(op, "ALTER TABLE core.data_version DROP COLUMN IF EXISTS failed_at;")
