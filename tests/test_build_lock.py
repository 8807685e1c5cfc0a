"""One build per O*NET version (occurisk_assets/runs/build_lock.py), with real `occurisk load` processes on a
PostgreSQL-backed Dagster instance (the project's dagster.yaml: tests/dagster_platform.py):

1. while a build of 30.1 is inside its raw load, a second `occurisk load --version 30.1` is refused at once
   naming the first run, and a run launched as the UI launches one fails at its first step with the same
   message and materializes nothing; the first then finishes with the files it loaded;
2. a claim left by a run whose process died never blocks the next build; crash recovery frees it;
3. a run whose raw tables changed under it is not marked complete; the loader refuses a run that does
   not hold the claim.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from dagster import DagsterRunStatus, RunsFilter, instance_for_test
from dagster._core.test_utils import create_run_for_test

from occurisk_assets.lib import db
from occurisk_assets.lib.names import raw_asset_key
from occurisk_assets.lifecycle.diff import finish_version
from occurisk_assets.onet.files import NON_DATA_FILES, SPECS
from occurisk_assets.onet.loader import file_facts, load_release
from occurisk_assets.onet.sources import Release, resolve_release
from occurisk_assets.runs import build_lock, launch
from occurisk_assets.runs import recovery as run_recovery
from occurisk_assets.versions import build_status
from tests.conftest import ONET_DATA
from tests.dagster_platform import wait_for
from tests.lifecycle.conftest import platform_defs

OCCURISK = str(Path(sys.executable).parent / "occurisk")
VERSION = "30.1"
JOB = "data_version_pipeline"


def occurisk_load(platform, **kwargs):
    return [OCCURISK, "load", "--version", VERSION], dict(env=platform["env"], **kwargs)


def release_hashes() -> dict[str, str]:
    """sha256 of every data file of the real 30.1 release, as the loader records them."""
    folder = ONET_DATA / "db_30_1_text"
    return {
        p.name: file_facts(p)[2]
        for p in folder.iterdir()
        if p.suffix == ".txt" and p.name not in NON_DATA_FILES
    }


def waiting_on(url: str, table: str) -> bool:
    """Whether a client of the database waits for a lock on `table`."""
    with psycopg.connect(url) as conn:
        return conn.execute(
            """SELECT count(*) > 0 FROM pg_stat_activity WHERE datname = current_database()
               AND wait_event_type = 'Lock' AND query ILIKE %s""",
            (f"%{table}%",),
        ).fetchone()[0]


def in_progress_run(instance) -> str | None:
    runs = instance.get_runs(filters=RunsFilter(job_name=JOB, statuses=[DagsterRunStatus.STARTED]))
    return runs[0].run_id if runs else None


def test_a_second_build_of_a_version_is_refused_at_once_naming_the_first(platform):
    instance = platform["instance"]
    with psycopg.connect(platform["url"]) as gate:
        # Holds the first load inside its transaction, after its files are copied, as long as needed.
        gate.execute("LOCK TABLE core.release_files IN ACCESS EXCLUSIVE MODE")
        args, kwargs = occurisk_load(platform)
        out = open(platform["home"] / "first.log", "w")  # noqa: SIM115 - closed by the process's end
        first = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, **kwargs)
        try:
            wait_for(lambda: waiting_on(platform["url"], "core.release_files"), 600, "the first raw load")
            first_run = in_progress_run(instance)

            args, kwargs = occurisk_load(platform, capture_output=True, text=True, timeout=120)
            second = subprocess.run(args, **kwargs)
            assert second.returncode == 1, second.stderr[-2000:]
            assert f"Error: O*NET {VERSION} is already building: run {first_run};" in second.stderr

            # A run launched from the UI (or by the sensor, a backfill) fails at its first step.
            ui_run = (
                platform_defs()
                .resolve_job_def(JOB)
                .execute_in_process(
                    partition_key=VERSION,
                    instance=instance,
                    asset_selection=[raw_asset_key(spec.table) for spec in SPECS],
                    raise_on_error=False,
                )
            )
            assert not ui_run.success
            assert launch.failed_steps(ui_run)[0].startswith(
                f"onet_release: O*NET {VERSION} is already building: run {first_run};"
            )
            assert ui_run.get_asset_materialization_events() == []
            with db.connect() as conn:
                assert build_lock.holder(conn, VERSION) == first_run
        finally:
            gate.rollback()
            assert first.wait(timeout=600) == 0, (platform["home"] / "first.log").read_text()[-3000:]
    assert f"(Dagster run {first_run})" in (platform["home"] / "first.log").read_text()
    with db.connect() as conn:
        loaded = dict(
            conn.execute(
                "SELECT file_name, sha256 FROM core.release_files WHERE data_version = %s AND present",
                (VERSION,),
            ).fetchall()
        )
        built_by = conn.execute(
            "SELECT build_run_id FROM core.data_version WHERE id = %s", (VERSION,)
        ).fetchone()[0]
        tasks = conn.execute(
            "SELECT count(*) FROM onet_raw.task_statements WHERE data_version = %s", (VERSION,)
        ).fetchone()[0]
        assert build_lock.holder(conn, VERSION) is None  # released at the run's end
    assert loaded == release_hashes()
    assert (built_by, tasks) == (first_run, 18796)


def crashed_run(instance):
    """A run left STARTED by a process that no longer exists (kill -9, OOM)."""
    gone = subprocess.Popen(["true"])
    gone.wait()
    return create_run_for_test(
        instance,
        job_name=JOB,
        status=DagsterRunStatus.STARTED,
        tags={
            run_recovery.PID_TAG: str(gone.pid),
            run_recovery.HOST_TAG: socket.gethostname(),
            run_recovery.PARTITION_TAG: VERSION,
        },
    )


def test_a_dead_runs_claim_never_blocks_the_next_build(platform):
    instance = platform["instance"]
    crashed = crashed_run(instance)
    build_lock.claim_for_run(instance, VERSION, crashed.run_id)

    args, kwargs = occurisk_load(platform, capture_output=True, text=True, timeout=600)
    after_crash = subprocess.run(args, **kwargs)
    assert after_crash.returncode == 0, after_crash.stderr[-3000:]
    with db.connect() as conn:
        built_by = conn.execute(
            "SELECT build_run_id FROM core.data_version WHERE id = %s", (VERSION,)
        ).fetchone()[0]
        assert build_lock.holder(conn, VERSION) is None
    assert built_by not in (None, crashed.run_id)
    assert f"(Dagster run {built_by})" in after_crash.stdout

    # Crash recovery frees a dead run's claim itself (and fails both dead runs).
    crashed_again = crashed_run(instance)
    build_lock.claim_for_run(instance, VERSION, crashed_again.run_id)
    failed = run_recovery.fail_dead_runs(instance, run_recovery.mark_versions_failed)
    assert sorted(d.run_id for d in failed) == sorted([crashed.run_id, crashed_again.run_id])
    with db.connect() as conn:
        assert build_lock.holder(conn, VERSION) is None


def test_a_run_whose_raw_tables_changed_under_it_is_not_marked_complete(fresh_database, tmp_path):
    with instance_for_test() as instance:
        build_lock.claim_for_run(instance, VERSION, "run-a")
    load_release(resolve_release(VERSION), run_id="run-a")

    # Another run's load (not holding the claim) is refused and rolled back.
    other = tmp_path / "db_30_1_text"
    shutil.copytree(ONET_DATA / "db_30_1_text", other)
    statements = other / "Task Statements.txt"
    statements.write_bytes(statements.read_bytes().replace(b"Direct or coordinate", b"Steer", 1))
    with pytest.raises(build_lock.AlreadyBuilding, match="already building: run run-a;"):
        load_release(Release(other, VERSION, str(other), None), run_id="run-b")
    with db.connect() as conn:
        build_lock.verify_built(conn, VERSION, "run-a")  # what run-a loaded is still there

    # Tables rewritten behind the claim (an older occurisk, a restore): run-a's build is not complete.
    load_release(Release(other, VERSION, str(other), None))
    with db.connect() as conn:
        with pytest.raises(build_lock.BuildChanged, match="was loaded again by run None while run run-a"):
            finish_version(conn, VERSION, "run-a")
        conn.execute("UPDATE core.data_version SET build_run_id = 'run-a' WHERE id = %s", (VERSION,))
        with pytest.raises(build_lock.BuildChanged, match="no longer hold the files run run-a loaded"):
            finish_version(conn, VERSION, "run-a")
        assert build_status(conn, VERSION) == "building"
