"""The platform's databases and their tables: `ensure_server` starts the local server if we own it, creates
the databases and migrates the platform database (occurisk_assets/migrations)."""

from __future__ import annotations

from pathlib import Path

import psycopg
from psycopg import sql

from occurisk_assets.lib import roles
from occurisk_assets.lib.db import SEARCH_PATH, database_url, with_database
from occurisk_assets.lib.postgres_server import local_server
from occurisk_assets.lib.settings import Settings, get_settings


def ensure_server(settings: Settings | None = None) -> str:
    """Start the local server if we own it, create the platform's databases, migrate the platform database;
    return the owner's URL."""
    settings = settings or get_settings()
    owners = {
        settings.pg_database: roles.OWNER,
        settings.dagster_database: roles.DAGSTER,
        settings.mlflow_database: roles.MLFLOW,
    }
    if not settings.database_url:
        server = local_server(settings)
        server.start()
        server.provision_databases(owners)
    url = database_url(settings)
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        have = {r[0] for r in conn.execute("SELECT datname FROM pg_database")}
        for name in owners:
            if name not in have:  # an external server: the databases are the owner's to create
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    with psycopg.connect(url, autocommit=True) as conn:
        # People querying with psql find the marts and platform tables by their plain names.
        conn.execute(
            sql.SQL("ALTER DATABASE {} SET search_path = {}").format(
                sql.Identifier(conn.info.dbname), sql.SQL(SEARCH_PATH)
            )
        )
    migrate(url, settings)
    return url


MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str):
    from alembic.config import Config  # alembic is only needed when migrating

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # configparser interpolation: a literal % in the URL (an encoded password) must be doubled.
    config.set_main_option("sqlalchemy.url", psycopg_sqlalchemy_url(url).replace("%", "%%"))
    return config


def psycopg_sqlalchemy_url(url: str) -> str:
    scheme, rest = url.split("://", 1)
    return f"postgresql+psycopg://{rest}" if scheme in ("postgresql", "postgres") else url


def migrate(url: str | None = None, settings: Settings | None = None) -> str | None:
    """Bring the platform database's own tables to the newest migration, then give the API role (when it is
    a role of its own) its read access; returns the revision now applied."""
    from alembic import command

    settings = settings or get_settings()
    url = url or database_url(settings)
    command.upgrade(alembic_config(url), "head")
    api_role = roles.url_user(settings.api_database_url or roles.role_url(url, roles.API))
    with psycopg.connect(url) as conn:
        if api_role and api_role != roles.url_user(url) and roles.role_exists(conn, api_role):
            roles.grant_api_access(conn, api_role)
            # Loudly now rather than an API that silently fails (or serves uncached) on a table it cannot read.
            unreadable = roles.unreadable_api_tables(conn, api_role)
            if unreadable:
                raise RuntimeError(f"the API role {api_role} cannot read {', '.join(unreadable)}")
        conn.commit()
        return current_revision(conn)


def current_revision(conn: psycopg.Connection) -> str | None:
    if not table_exists(conn, "public.alembic_version"):
        return None
    row = conn.execute("SELECT version_num FROM public.alembic_version").fetchone()
    return row[0] if row else None


def table_exists(conn: psycopg.Connection, qualified: str) -> bool:
    return conn.execute("SELECT to_regclass(%s) IS NOT NULL", (qualified,)).fetchone()[0]


def alembic_heads() -> list[str]:
    from alembic.script import ScriptDirectory

    return list(ScriptDirectory(str(MIGRATIONS_DIR)).get_heads())
