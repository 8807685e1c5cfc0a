"""${message}

Revision ID: ${up_revision}
"""

from alembic import op

from occurisk_assets.migrations.sql import run_sql

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(op, """""")


def downgrade() -> None:
    run_sql(op, """""")
