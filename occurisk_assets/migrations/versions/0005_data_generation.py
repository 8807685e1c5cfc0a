"""The data generation the response cache is keyed by (occurisk_assets/data_generation.py): its counters,
the bump functions, and the statement trigger on every Python-written table the API and pages serve. dbt
marts get theirs from their post-hook.

Revision ID: 0005
"""

from alembic import op

from occurisk_assets.data_generation import DDL, WATCHED_TABLES, trigger_sql
from occurisk_assets.migrations.sql import run_sql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


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
