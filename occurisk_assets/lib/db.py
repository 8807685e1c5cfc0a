"""Connections to the platform's PostgreSQL: the URL of each role and database, and the environment that
hands them to child processes (dbt, Dagster, MLflow)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import psycopg

from occurisk_assets.lib import roles
from occurisk_assets.lib.postgres_server import local_server
from occurisk_assets.lib.settings import Settings, get_settings

SEARCH_PATH = "marts, core, bls, public"


def with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


def database_url(settings: Settings | None = None, database: str | None = None) -> str:
    """The owner's libpq URL of the platform database (or of `database` on the same server)."""
    settings = settings or get_settings()
    if settings.database_url:
        url = settings.database_url
        return with_database(url, database) if database else url
    return local_server(settings).url(database or settings.pg_database)


def api_database_url(settings: Settings | None = None) -> str:
    """The read-only API role's URL (OCCURISK_API_DATABASE_URL, else derived from the owner's)."""
    settings = settings or get_settings()
    return settings.api_database_url or roles.role_url(database_url(settings), roles.API)


def dagster_database_url(settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    return settings.dagster_database_url or roles.role_url(
        database_url(settings, settings.dagster_database), roles.DAGSTER
    )


def mlflow_database_url(settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    return settings.mlflow_database_url or roles.role_url(
        database_url(settings, settings.mlflow_database), roles.MLFLOW
    )


def mlflow_artifact_root(settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    return (settings.home / "mlflow-artifacts").resolve().as_uri()


def sqlalchemy_url(url: str) -> str:
    """dagster-postgres and MLflow go through SQLAlchemy 2.1, which needs the driver spelled out."""
    scheme, rest = url.split("://", 1)
    return f"postgresql+psycopg2://{rest}" if scheme in ("postgresql", "postgres") else url


def export_connection_env(settings: Settings | None = None) -> None:
    """Publish the connection to child processes (dbt's profiles.yml, dagster.yaml read these)."""
    settings = settings or get_settings()
    url = database_url(settings)
    parts = urlsplit(url)
    os.environ.update(
        {
            "OCCURISK_PGHOST": parts.hostname or "127.0.0.1",
            "OCCURISK_PGPORT": str(parts.port or 5432),
            "OCCURISK_PGUSER": parts.username or roles.OWNER,
            "OCCURISK_PGPASSWORD": parts.password or "",
            "OCCURISK_PGDATABASE": parts.path.lstrip("/") or settings.pg_database,
            "OCCURISK_DAGSTER_PG_URL": sqlalchemy_url(dagster_database_url(settings)),
            # The Dagster resources' configuration (occurisk_assets/resources.py).
            "OCCURISK_PG_URL": url,
            "OCCURISK_MLFLOW_TRACKING_URI": sqlalchemy_url(mlflow_database_url(settings)),
            "OCCURISK_MLFLOW_ARTIFACT_ROOT": mlflow_artifact_root(settings),
        }
    )
    # dbt takes no password file in its profile: libpq finds it through PGPASSFILE (a path, not a secret).
    passfile = roles.url_passfile(url)
    if passfile:
        os.environ["PGPASSFILE"] = passfile
    else:
        os.environ.pop("PGPASSFILE", None)


@contextmanager
def connect(url: str | None = None, **kwargs) -> Iterator[psycopg.Connection]:
    with psycopg.connect(url or database_url(), **kwargs) as conn:
        yield conn
