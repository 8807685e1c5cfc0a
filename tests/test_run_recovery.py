"""Crash recovery's parts on a real Dagster instance: which runs are dead (their process is gone, or its id
now belongs to a later process), what failing them frees, and the message of a step waiting for a slot.
The whole story with real pipelines is tests/test_crash_recovery.py."""

from __future__ import annotations

import os
import socket
import subprocess
import time

from dagster import DagsterRunStatus, instance_for_test
from dagster._core.events import EngineEventData
from dagster._core.test_utils import create_run_for_test

from occurisk_assets.runs import recovery as run_recovery


def started_run(instance, pid: int, version: str):
    return create_run_for_test(
        instance,
        job_name="data_version_pipeline",
        status=DagsterRunStatus.STARTED,
        tags={
            run_recovery.PID_TAG: str(pid),
            run_recovery.HOST_TAG: socket.gethostname(),
            run_recovery.PARTITION_TAG: version,
        },
    )


def test_dead_runs_are_failed_and_their_slots_freed_live_ones_kept():
    gone = subprocess.Popen(["true"])
    gone.wait()
    with instance_for_test() as instance:
        storage = instance.event_log_storage
        storage.set_concurrency_slots("dbt", 1)
        dead = started_run(instance, gone.pid, "30.0")
        live = started_run(instance, os.getpid(), "30.1")
        reused = started_run(instance, gone.pid, "29.1")
        time.sleep(2.5)
        later = subprocess.Popen(["sleep", "30"])  # started after that run began: not its process
        instance.add_run_tags(reused.run_id, {run_recovery.PID_TAG: str(later.pid)})
        assert storage.claim_concurrency_slot("dbt", dead.run_id, "onet_dbt_models").is_claimed
        failed_versions = []
        try:
            found = run_recovery.fail_dead_runs(
                instance, lambda version, run_id, message: failed_versions.append((version, run_id))
            )
        finally:
            later.kill()
            later.wait()
        assert sorted((d.data_version, d.pid, d.freed_slots) for d in found) == [
            ("29.1", later.pid, []),
            ("30.0", gone.pid, ["dbt"]),
        ]
        assert sorted(failed_versions) == [("29.1", reused.run_id), ("30.0", dead.run_id)]
        assert instance.get_run_by_id(dead.run_id).status == DagsterRunStatus.FAILURE
        assert instance.get_run_by_id(reused.run_id).status == DagsterRunStatus.FAILURE
        assert instance.get_run_by_id(live.run_id).status == DagsterRunStatus.STARTED
        assert storage.get_concurrency_info("dbt").claimed_slots == []


def test_a_waiting_step_says_which_pool_and_who_holds_it():
    with instance_for_test() as instance:
        storage = instance.event_log_storage
        storage.set_concurrency_slots("dbt", 1)
        holder = create_run_for_test(
            instance, job_name="data_version_pipeline", tags={run_recovery.PARTITION_TAG: "30.0"}
        )
        assert storage.claim_concurrency_slot("dbt", holder.run_id, "onet_dbt_models").is_claimed
        assert not storage.claim_concurrency_slot("dbt", "our-run", "onet_dbt_models").is_claimed
        said: list[str] = []
        reporter = run_recovery.SlotWaitReporter(instance, lambda: "our-run", said.append)
        reporter.check()
        reporter.check()  # said once, not at every poll
    assert said == [
        "step onet_dbt_models waits for a free 'dbt' pool slot (limit 1); held by: "
        f"run {holder.run_id} (data_version_pipeline, O*NET 30.0, {holder.status.value})"
    ]


def test_a_queued_run_started_later_by_the_daemon_keeps_its_process():
    """A run the daemon launches waits in the queue after it is created; its worker process starts later
    and reports its pid in an engine event. That process is the run's, not a pid reused since."""
    with instance_for_test() as instance:
        queued = create_run_for_test(
            instance, job_name="data_version_pipeline", status=DagsterRunStatus.STARTING
        )
        time.sleep(2.5)
        worker = subprocess.Popen(["sleep", "30"])
        try:
            instance.report_engine_event(
                f"Started process for run (pid: {worker.pid}).",
                queued,
                EngineEventData.in_process(worker.pid),
            )
            assert run_recovery.fail_dead_runs(instance) == []
            assert instance.get_run_by_id(queued.run_id).status == DagsterRunStatus.STARTING
        finally:
            worker.kill()
            worker.wait()
        assert [d.run_id for d in run_recovery.fail_dead_runs(instance)] == [queued.run_id]
