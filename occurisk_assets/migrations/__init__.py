"""Alembic migrations: the only place the platform's own tables are created or changed (`occurisk db migrate`)."""
