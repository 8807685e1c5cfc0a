"""Runs the way Dagster runs them outside one process, on a new PostgreSQL-backed instance (a Dagster database
of its own on the session's server): a job under the multiprocess executor, each step in its own process; and
a backfill of two data_version partitions launched through the webserver's GraphQL API — the mutation the
UI's "Launch backfill" sends — and run by the daemon, on an empty platform database."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import psycopg
import pytest
from dagster import AssetKey, DagsterEventType, DagsterInstance, DagsterRunStatus, execute_job
from dagster._core.definitions.reconstruct import ReconstructableRepository
from psycopg import sql

from occurisk_assets.lib import db
from occurisk_assets.lib.settings import PROJECT_ROOT
from occurisk_assets.runs import recovery as run_recovery
from occurisk_assets.runs.pipeline import _stop, dagster_dev_command
from tests.serving import free_port

# Builds whole releases end to end (minutes): started first, see tests/conftest.py.
pytestmark = pytest.mark.builds_releases

BIN = Path(sys.executable).parent
REPOSITORY = {"repositoryLocationName": "occurisk", "repositoryName": "__repository__"}
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
    table): six steps under the product's executor, each in a process of its own forked from the run's
    server that preloaded the code location as the workspace names it."""
    job = ReconstructableRepository.for_module(
        "occurisk_assets.definitions", "defs", working_directory=str(PROJECT_ROOT)
    ).get_reconstructable_job("bls_releases")
    tables = ["bls_proj_metrics", "nem_occupational_coverage"]
    with execute_job(
        job,
        instance=postgres_instance,
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


def graphql(port: int, query: str, variables: dict | None = None) -> dict:
    response = httpx.post(
        f"http://127.0.0.1:{port}/graphql", json={"query": query, "variables": variables or {}}, timeout=60
    )
    response.raise_for_status()
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


LOCATIONS = """{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus
  locationOrLoadError { __typename ... on PythonError { message } } } } } }"""
ADD_PARTITION = """mutation ($partitionsDefName: String!, $partitionKey: String!,
    $repositorySelector: RepositorySelector!) {
  addDynamicPartition(partitionsDefName: $partitionsDefName, partitionKey: $partitionKey,
                      repositorySelector: $repositorySelector) {
    __typename ... on AddDynamicPartitionSuccess { partitionKey } ... on PythonError { message } } }"""
# As the UI's job partitions page sends it (Launch backfill → the selected partitions).
LAUNCH_BACKFILL = """mutation ($backfillParams: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $backfillParams) {
    __typename ... on LaunchBackfillSuccess { backfillId } ... on PythonError { message stack } } }"""
BACKFILL = """query ($backfillId: String!) { partitionBackfillOrError(backfillId: $backfillId) {
  ... on PartitionBackfill { status partitionStatuses { results { partitionName runId runStatus } } } } }"""


def wait_for_location(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            [entry] = graphql(port, LOCATIONS)["workspaceOrError"]["locationEntries"]
            if entry["loadStatus"] == "LOADED":
                assert entry["locationOrLoadError"]["__typename"] == "RepositoryLocation", entry
                return
        except httpx.HTTPError:
            pass
        time.sleep(2)
    raise AssertionError(f"the code location did not load within {seconds:.0f} s")


def test_every_pool_has_its_limit_before_a_run_claims_a_slot(postgres_instance):
    storage = postgres_instance.event_log_storage
    assert storage.get_pool_limits() == []  # a new instance: Dagster would make them at the first claims
    for _ in range(2):  # a second start finds them and changes nothing
        run_recovery.ensure_pool_limits(postgres_instance)
        limits = {p.name: (p.limit, p.from_default) for p in storage.get_pool_limits()}
        assert limits == dict.fromkeys(run_recovery.POOLS, (1, True))


def test_backfill_of_two_versions_launched_as_the_ui_does(postgres_instance, tmp_path, monkeypatch):
    """Slow by its point (6.1 min alone): two whole data_version runs from an empty database, the job's
    partition set as the UI launches it, queued one after the other (one release build at a time,
    dagster.yaml), each step forked by the run's server; a subset of assets would no longer be the UI's job
    backfill, and the marts asserted need the graph."""
    port = free_port()
    # The daemon also ticks the schedules and the release sensor: none of them may start a run meanwhile.
    for cron in ("OCCURISK_POSTINGS_CRON", "OCCURISK_RESCORE_CRON", "OCCURISK_ASSISTANT_RETENTION_CRON"):
        monkeypatch.setenv(cron, "0 0 1 1 *")
    (tmp_path / "landing").mkdir()
    monkeypatch.setenv("OCCURISK_ONET_LANDING", str(tmp_path / "landing"))
    # Nor may the AEI release sensor find the releases of the data folder (tests/aei covers it).
    (tmp_path / "aei").mkdir()
    monkeypatch.setenv("OCCURISK_AEI_DIR", str(tmp_path / "aei"))
    log = open(tmp_path / "dagster-dev.log", "w")  # noqa: SIM115 - closed after the children stop
    # The webserver, the daemon and their one code server, started as `occurisk up` starts them.
    children = [
        subprocess.Popen(
            dagster_dev_command(port),
            cwd=PROJECT_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    ]
    # `occurisk up` does this before it starts the daemon (without it the two runs raced to make the pools).
    run_recovery.ensure_pool_limits(postgres_instance)
    try:
        wait_for_location(port, 300)
        for version in ("30.0", "30.1"):
            added = graphql(
                port,
                ADD_PARTITION,
                {
                    "partitionsDefName": "data_version",
                    "partitionKey": version,
                    "repositorySelector": REPOSITORY,
                },
            )["addDynamicPartition"]
            assert added == {"__typename": "AddDynamicPartitionSuccess", "partitionKey": version}
        launched = graphql(
            port,
            LAUNCH_BACKFILL,
            {
                "backfillParams": {
                    "selector": {
                        "partitionSetName": "data_version_pipeline_partition_set",
                        "repositorySelector": REPOSITORY,
                    },
                    "partitionNames": ["30.0", "30.1"],
                    "fromFailure": False,
                }
            },
        )["launchPartitionBackfill"]
        assert launched["__typename"] == "LaunchBackfillSuccess", launched
        # Most of the test: 30 steps a run, each forked from the run's preloaded server (53 min when each
        # step spawned a process that imported the code first).
        deadline = time.monotonic() + 1800
        while time.monotonic() < deadline:
            backfill = graphql(port, BACKFILL, {"backfillId": launched["backfillId"]})[
                "partitionBackfillOrError"
            ]
            results = backfill["partitionStatuses"]["results"]
            failed = [r for r in results if r["runStatus"] in {"FAILURE", "CANCELED"}]
            assert not failed, "\n\n".join(why_run_failed(postgres_instance, r["runId"]) for r in failed)
            if {r["partitionName"]: r["runStatus"] for r in results} == {
                "30.0": "SUCCESS",
                "30.1": "SUCCESS",
            }:
                break
            time.sleep(2)  # one small GraphQL query: a short interval costs nothing and ends the wait sooner
        else:
            raise AssertionError(f"the backfill did not finish within 30 minutes: {backfill}")
    finally:
        _stop(children)
        log.close()
    assert all(child.poll() is not None for child in children)

    assert bls_rows(BLS_ROWS) == BLS_ROWS  # built by the runs: nothing was loaded before
    with db.connect() as conn:
        versions = conn.execute(
            "SELECT id, build_status, is_active FROM core.data_version ORDER BY id"
        ).fetchall()
        per_version = dict(
            conn.execute(
                "SELECT data_version, count(*) FROM marts.occupation_ai_score GROUP BY 1 ORDER BY 1"
            ).fetchall()
        )
        linked = dict(
            conn.execute("SELECT data_version, count(*) FROM bls.soc_bls_link GROUP BY 1").fetchall()
        )
        tasks = dict(
            conn.execute("SELECT data_version, count(*) FROM marts.task_catalog GROUP BY 1").fetchall()
        )
    assert versions == [("30.0", "complete", False), ("30.1", "complete", True)]
    assert tasks["30.1"] == 18796 and tasks["30.0"] > 0
    assert set(per_version) == set(linked) == {"30.0", "30.1"}
    assert all(n > 700 for n in per_version.values())
    runs = postgres_instance.get_runs()
    assert sorted((r.job_name, r.tags.get("dagster/partition")) for r in runs) == [
        ("data_version_pipeline", "30.0"),
        ("data_version_pipeline", "30.1"),
    ]
    assert all(r.tags.get("dagster/backfill") == launched["backfillId"] for r in runs)
