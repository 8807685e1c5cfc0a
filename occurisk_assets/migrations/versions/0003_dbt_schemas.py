"""The schemas dbt builds into, made by the owner before dbt first runs, so that the API role's privileges
(occurisk_assets.lib.roles.grant_api_access) can name them from the start.

Revision ID: 0003
"""

from alembic import op

from occurisk_assets.migrations.sql import run_sql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(
        op,
        "CREATE SCHEMA IF NOT EXISTS staging; CREATE SCHEMA IF NOT EXISTS intermediate; "
        "CREATE SCHEMA IF NOT EXISTS marts;",
    )


def downgrade() -> None:
    pass  # dbt's schemas hold dbt's relations: dropping them is dbt's business
