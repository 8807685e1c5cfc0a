"""Crash recovery with real `occurisk pipeline` processes on a PostgreSQL-backed Dagster instance (the
project's dagster.yaml: pools, run monitoring), as `make run` uses it:

1. a pipeline killed with SIGKILL in the middle of its dbt step leaves its run STARTED holding the `dbt`
   pool slot; a second pipeline of the same version meanwhile is refused ("already building: run …");
2. a pipeline whose database goes away under it during dbt (every connection ended, none accepted until
   the pipeline has ended) ends with a failure — it does not hang;
3. the next pipeline fails the dead runs, frees their slots and finishes, in bounded time, and the version
   ends complete.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from dagster import DagsterRunStatus
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from occurisk_assets.lib import db
from tests.dagster_platform import wait_for

# Builds whole releases end to end (minutes): started first, see tests/conftest.py.
pytestmark = pytest.mark.builds_releases

OCCURISK = str(Path(sys.executable).parent / "occurisk")
VERSION = "30.1"
FINISH_WITHIN_S = 900  # the whole graph for 30.1 on a busy 2-core machine, with room to spare


def start_pipeline(platform, name: str) -> subprocess.Popen:
    out = open(platform["home"] / f"{name}.log", "w")  # noqa: SIM115 - closed by the process's end
    return subprocess.Popen(
        [OCCURISK, "pipeline", "--version", VERSION],
        env=platform["env"],
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own group: SIGKILL reaches dbt too, as when the machine kills them all
    )


def log_of(platform, name: str) -> str:
    return (platform["home"] / f"{name}.log").read_text()


def dbt_slot_holder(instance) -> str | None:
    claimed = instance.event_log_storage.get_concurrency_info("dbt").claimed_slots
    return claimed[0].run_id if claimed else None


def restart_database_under(platform, process: subprocess.Popen, max_down_s: float = 300.0) -> int:
    """What a restart does to clients: every connection ended, new ones refused. The database stays down
    until `process` has ended, so no connection retry can bridge the outage and the outcome does not depend
    on how far the process got; returns its exit code."""
    names = [conninfo_to_dict(platform["url"])["dbname"], platform["dagster_db"]]
    with psycopg.connect(db.with_database(platform["url"], "postgres"), autocommit=True) as admin:
        for name in names:
            admin.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS false").format(sql.Identifier(name)))
        try:
            deadline = time.monotonic() + max_down_s
            while process.poll() is None and time.monotonic() < deadline:
                admin.execute(
                    # Client backends only: an autovacuum worker may be in the database too, and only a
                    # superuser may end it.
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = ANY(%s) AND backend_type = 'client backend'",
                    (names,),
                )
                time.sleep(0.2)
        finally:
            for name in names:
                admin.execute(
                    sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true").format(sql.Identifier(name))
                )
    if process.poll() is None:
        process.kill()
        pytest.fail(f"the pipeline was still running {max_down_s:.0f}s after its database went away")
    return process.returncode


def test_killed_and_disconnected_pipelines_never_block_the_next(platform):
    """Slow by its point (a few minutes): the crashes happen inside a real dbt step of real `occurisk
    pipeline` processes, and recovery is only shown by a next pipeline that builds the version to the end;
    the first two are stopped as soon as their dbt step holds the pool slot."""
    instance = platform["instance"]

    # 1. Killed in the middle of dbt.
    first = start_pipeline(platform, "first")
    killed_run = wait_for(lambda: dbt_slot_holder(instance), 600, "the first pipeline's dbt step")
    refused = subprocess.run(
        [OCCURISK, "pipeline", "--version", VERSION],
        env=platform["env"],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert refused.returncode == 1
    assert f"O*NET {VERSION} is already building: run {killed_run};" in refused.stderr
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=30)
    assert (
        instance.get_run_by_id(killed_run).status == DagsterRunStatus.STARTED
    )  # left behind, as a crash leaves it
    assert dbt_slot_holder(instance) == killed_run

    # 2. The database restarts under the next one while its dbt step runs: it ends, it does not hang.
    second = start_pipeline(platform, "second")
    second_run = wait_for(
        lambda: (h := dbt_slot_holder(instance)) not in (None, killed_run) and h,
        600,
        "the second pipeline's dbt",
    )
    assert (
        f"run {killed_run} (data_version_pipeline, O*NET {VERSION}) had lost its process {first.pid}: "
        "marked failed, its 'dbt' pool slot freed" in log_of(platform, "second")
    )
    assert restart_database_under(platform, second) != 0

    # 3. The next one recovers whatever the second left and finishes.
    started = time.monotonic()
    third = subprocess.run(
        [OCCURISK, "pipeline", "--version", VERSION],
        env=platform["env"],
        capture_output=True,
        text=True,
        timeout=FINISH_WITHIN_S,
    )
    elapsed = time.monotonic() - started
    assert third.returncode == 0, third.stderr[-3000:]
    assert f"Pipeline for O*NET {VERSION} finished" in third.stdout
    print(f"recovered pipeline finished in {elapsed:.0f}s")
    statuses = {run_id: instance.get_run_by_id(run_id).status for run_id in (killed_run, second_run)}
    assert statuses == {killed_run: DagsterRunStatus.FAILURE, second_run: DagsterRunStatus.FAILURE}
    assert dbt_slot_holder(instance) is None
    assert not instance.event_log_storage.get_concurrency_info("llm_scoring").claimed_slots
    with psycopg.connect(platform["url"]) as conn:
        status, error = conn.execute(
            "SELECT build_status, build_error FROM core.data_version WHERE id = %s", (VERSION,)
        ).fetchone()
    assert (status, error) == ("complete", None)
