"""The careers and postings schemas, made by the owner before their domains first build, so that the API
role's privileges (occurisk_assets.lib.roles.grant_api_access) reach the tables those domains create in them.

Revision ID: 0004
"""

from alembic import op

from occurisk_assets.migrations.sql import run_sql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(op, "CREATE SCHEMA IF NOT EXISTS careers; CREATE SCHEMA IF NOT EXISTS postings;")


def downgrade() -> None:
    pass  # the domains' tables live there
