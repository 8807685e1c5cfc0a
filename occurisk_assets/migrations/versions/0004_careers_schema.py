"""The careers schema, made by the owner before its first build, so that the API role's privileges
(occurisk_assets.roles.grant_api_access) reach the similarity tables the careers domain creates in it.

Revision ID: 0004
"""

from alembic import op

from occurisk_assets.migrations.sql import run_sql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(op, "CREATE SCHEMA IF NOT EXISTS careers;")


def downgrade() -> None:
    pass  # the careers domain's tables live there
