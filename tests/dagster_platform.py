"""A platform database and a PostgreSQL-backed Dagster instance (the project's dagster.yaml: pools, run
monitoring) for tests that run real `occurisk` processes against them, as `make run` uses them."""

from __future__ import annotations

import os
import shutil
import time
import uuid

import psycopg
import pytest
from dagster import DagsterInstance
from psycopg import sql

from occurisk_assets.lib import db
from occurisk_assets.lib.settings import PROJECT_ROOT


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.5)
    pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}")


@pytest.fixture
def platform(fresh_database, tmp_path, monkeypatch):
    """A platform database, a Dagster database and a DAGSTER_HOME with the project's dagster.yaml."""
    dagster_db = f"t_dagster_{uuid.uuid4().hex[:8]}"
    admin_url = db.with_database(fresh_database, "postgres")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dagster_db)))
    dagster_url = db.with_database(fresh_database, dagster_db)
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(PROJECT_ROOT / "dagster.yaml", home / "dagster.yaml")
    env = dict(
        os.environ,
        DAGSTER_HOME=str(home),
        OCCURISK_DAGSTER_DATABASE_URL=dagster_url,
        OCCURISK_ONET_LANDING=str(tmp_path / "landing"),
    )
    monkeypatch.setenv("OCCURISK_DAGSTER_PG_URL", db.sqlalchemy_url(dagster_url))
    instance = DagsterInstance.from_config(str(home))
    try:
        yield {
            "env": env,
            "instance": instance,
            "url": fresh_database,
            "dagster_db": dagster_db,
            "home": tmp_path,
        }
    finally:
        instance.dispose()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(dagster_db)))
