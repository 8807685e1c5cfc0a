"""Runs the way Dagster runs them outside one process, on a PostgreSQL-backed instance (the session's server):
a job under the multiprocess executor, each step in its own process."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import psycopg
import pytest
from dagster import DagsterEventType, DagsterInstance, execute_job
from dagster._core.definitions.reconstruct import ReconstructableRepository

from occurisk_assets import db, roles
from occurisk_assets.settings import PROJECT_ROOT

BIN = Path(sys.executable).parent
BLS_ROWS = {
    "bls_oews_metrics": 1395 + 1396 + 1396,  # 2022-05, 2023-05, 2024-05
    "bls_proj_metrics": 1113,
    "nem_onet_crosswalk": 997,
    "nem_occupational_coverage": 1113,
    "soc_2010_2018_crosswalk": 900,
}


@pytest.fixture
def postgres_instance(fresh_database, tmp_path, monkeypatch):
    """DAGSTER_HOME with the project's dagster.yaml (storage in the server's `dagster` database, emptied
    first); the platform database is the test's own, empty."""
    dagster_url = roles.role_url(db.with_database(fresh_database, "dagster"), roles.DAGSTER)
    with psycopg.connect(dagster_url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(PROJECT_ROOT / "dagster.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    # The code server runs `dbt` from PATH.
    monkeypatch.setenv("PATH", os.pathsep.join([str(BIN), os.environ.get("PATH", "")]))
    with DagsterInstance.get() as instance:
        yield instance


def bls_rows() -> dict[str, int]:
    with db.connect() as conn:
        return {table: conn.execute(f"SELECT count(*) FROM bls.{table}").fetchone()[0] for table in BLS_ROWS}


def test_multiprocess_executor_runs_the_bls_steps_in_their_own_processes(postgres_instance):
    job = ReconstructableRepository.for_module(
        "occurisk_assets.definitions", "defs", working_directory=str(PROJECT_ROOT)
    ).get_reconstructable_job("bls_releases")
    with execute_job(
        job,
        instance=postgres_instance,
        run_config={"execution": {"config": {"multiprocess": {"max_concurrent": 2}}}},
    ) as result:
        assert result.success
        events = result.all_events
    steps = {e.step_key: e.pid for e in events if e.event_type == DagsterEventType.STEP_START}
    engine = [e.message for e in events if e.event_type == DagsterEventType.ENGINE_EVENT]
    checks = [
        e.event_specific_data for e in events if e.event_type == DagsterEventType.ASSET_CHECK_EVALUATION
    ]
    assert any("multiprocess executor" in message for message in engine)
    loads = {f"bls__{table}" for table in BLS_ROWS}
    assert loads <= set(steps)  # the five loads, then the checks, each a step
    assert len(steps) == 5 + 7
    assert len(set(steps.values())) == len(steps)  # each step in its own process
    assert bls_rows() == BLS_ROWS
    assert len(checks) == 7 and all(check.passed for check in checks)
