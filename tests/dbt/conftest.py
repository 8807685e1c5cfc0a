"""dbt through Dagster on real O*NET data: one database per test module (building the marts is the slow part;
the tests of a module read what one build produced)."""

from __future__ import annotations

import os
import uuid

import psycopg
import pytest
from dagster import DagsterInstance

from occurisk_assets import db
from occurisk_assets.settings import get_settings


def _point_at(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    db.export_connection_env()


@pytest.fixture(scope="module")
def module_database(pg_server):
    """An empty database of its own for one test module; the session database is restored afterwards."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(db.with_database(pg_server, "postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = db.with_database(pg_server, name)
    _point_at(url)
    db.ensure_server()
    yield url
    _point_at(pg_server)
    with psycopg.connect(db.with_database(pg_server, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def instance() -> DagsterInstance:
    return DagsterInstance.ephemeral()
