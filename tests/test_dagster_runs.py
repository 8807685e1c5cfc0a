"""Runs the way Dagster runs them outside one process, on a new PostgreSQL-backed instance (a Dagster database
of its own on the session's server): a job under the multiprocess executor, each step in its own process."""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from dagster import AssetKey, DagsterEventType, DagsterInstance, DagsterRunStatus, execute_job
from dagster._core.definitions.reconstruct import ReconstructableRepository
from psycopg import sql

from occurisk_assets import db
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
    """A new instance: DAGSTER_HOME with the project's dagster.yaml, its storage an empty database of its own;
    the platform database is the test's own, empty."""
    dagster_db = f"t_dagster_{uuid.uuid4().hex[:8]}"
    admin_url = db.with_database(fresh_database, "postgres")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dagster_db)))
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(PROJECT_ROOT / "dagster.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    # dagster.yaml reads it; child processes (steps, code server, daemon) inherit it.
    monkeypatch.setenv(
        "OCCURISK_DAGSTER_PG_URL", db.sqlalchemy_url(db.with_database(fresh_database, dagster_db))
    )
    # The steps run `dbt` from PATH.
    monkeypatch.setenv("PATH", os.pathsep.join([str(BIN), os.environ.get("PATH", "")]))
    instance = DagsterInstance.get()
    try:
        yield instance
    finally:
        instance.dispose()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(dagster_db)))


def why_run_failed(instance: DagsterInstance, run_id: str) -> str:
    """Each failed step's error with its stack, then the run's whole event log from the instance: what an
    assertion on a run's outcome shows when the run failed."""
    records = instance.all_logs(run_id)
    lines = [f"run {run_id} failed"]
    for record in records:
        event = record.dagster_event
        if event is not None and event.event_type == DagsterEventType.STEP_FAILURE:
            lines.append(f"STEP_FAILURE {event.step_key}: {event.step_failure_data.error.to_string()}")
    lines.append(f"--- the run's event log ({len(records)} records) ---")
    for record in records:
        event = record.dagster_event
        kind = event.event_type_value if event is not None else record.level
        lines.append(f"{record.step_key or '-'} {kind}: {record.user_message or (event and event.message)}")
        error = getattr(event and event.event_specific_data, "error", None)
        if error is not None:
            lines.append(error.to_string())
    return "\n".join(lines)


def bls_rows(tables) -> dict[str, int]:
    with db.connect() as conn:
        return {table: conn.execute(f"SELECT count(*) FROM bls.{table}").fetchone()[0] for table in tables}


def test_multiprocess_executor_runs_the_steps_in_their_own_processes(postgres_instance):
    """Two BLS tables of the `bls_releases` job and the four checks of the projections (one reads the other
    table): six steps, each in a process of its own that loads the code location as the workspace names it."""
    job = ReconstructableRepository.for_module(
        "occurisk_assets.definitions", "defs", working_directory=str(PROJECT_ROOT)
    ).get_reconstructable_job("bls_releases")
    tables = ["bls_proj_metrics", "nem_occupational_coverage"]
    with execute_job(
        job,
        instance=postgres_instance,
        run_config={"execution": {"config": {"multiprocess": {"max_concurrent": 2}}}},
        asset_selection=[AssetKey(["bls", table]) for table in tables],
    ) as result:
        assert result.success, why_run_failed(postgres_instance, result.run_id)
        run_id = result.run_id
    events = [r.dagster_event for r in postgres_instance.all_logs(run_id) if r.dagster_event is not None]
    steps = {e.step_key: e.pid for e in events if e.event_type == DagsterEventType.STEP_START}
    engine = [e.message for e in events if e.event_type == DagsterEventType.ENGINE_EVENT]
    checks = {
        e.event_specific_data.check_name: e.event_specific_data.passed
        for e in events
        if e.event_type == DagsterEventType.ASSET_CHECK_EVALUATION
    }
    assert any(message.startswith("Multiprocess executor: parent process exiting") for message in engine)
    assert set(steps) == {f"bls__{table}" for table in tables} | {
        f"bls__bls_proj_metrics_{name}" for name in checks
    }
    assert checks == dict.fromkeys(
        [
            "proj_rows_match_sheet",
            "proj_soc_code_unique",
            "proj_line_item_employment_matches_total",
            "proj_codes_match_nem_coverage",
        ],
        True,
    )
    assert len(set(steps.values())) == len(steps) == 6  # each step in its own process
    assert os.getpid() not in steps.values()
    # The outcome, in the databases: the rows, and the run and its materializations in the instance.
    assert bls_rows(tables) == {table: BLS_ROWS[table] for table in tables}
    assert postgres_instance.get_run_by_id(run_id).status == DagsterRunStatus.SUCCESS
    for table in tables:
        materialization = postgres_instance.get_latest_materialization_event(AssetKey(["bls", table]))
        assert materialization.run_id == run_id
        assert materialization.asset_materialization.metadata["rows"].value == BLS_ROWS[table]
