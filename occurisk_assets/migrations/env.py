"""Alembic environment: migrate the database named by the `url` option of the config (db.migrate sets it)."""

from alembic import context
from sqlalchemy import create_engine, pool, text

config = context.config
# Concurrent `occurisk` processes (a pipeline, the API starting, a test session) may migrate at once.
MIGRATION_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('occurisk.migrations', 0))"


def run_migrations_online() -> None:
    engine = create_engine(config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, transaction_per_migration=False)
        with context.begin_transaction():
            connection.execute(text(MIGRATION_LOCK))
            context.run_migrations()


run_migrations_online()
