"""Crash recovery for Dagster runs: a run whose process is gone (kill -9, OOM, a machine restart) is failed,
its pool slots freed and its O*NET version marked failed, so that it never blocks the next run.

Dagster's own run monitoring (dagster.yaml `run_monitoring`) frees the slots of finished runs and times out
runs stuck starting or cancelling; it cannot tell that the process of a STARTED run died. That is done here,
from the process id each run records: `occurisk pipeline` tags its runs with its pid, and runs launched by
the webserver or the daemon report theirs in their first engine event ("Started process for run (pid: N)").
`occurisk pipeline` and `occurisk up` call `fail_dead_runs` before they start anything, and the
`dead_run_sensor` calls it every minute while the daemon runs.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from occurisk_assets.lib import processes

PID_TAG = "occurisk/pid"
HOST_TAG = "occurisk/host"
PARTITION_TAG = "dagster/partition"
POOLS = ("dbt", "llm_scoring")


def process_tags() -> dict[str, str]:
    """Tags that let any later process tell whether this one is still running the run."""
    return {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}


def run_process(instance, run) -> tuple[int, float | None] | None:
    """The id of the process that runs `run`, and the latest moment that process can have started (a later
    process with the same id is another one): a tagged process tagged the run when it created it; a reported
    process started before the event that reports it. A run launched by the daemon may wait in the queue
    long after it was created, so its creation time says nothing about its process."""
    from dagster import DagsterEventType

    if PID_TAG in run.tags:
        if run.tags.get(HOST_TAG, socket.gethostname()) != socket.gethostname():
            return None  # another machine's process: not ours to judge
        record = instance.get_run_record_by_id(run.run_id)
        created = record.create_timestamp.timestamp() if record and record.create_timestamp else None
        return int(run.tags[PID_TAG]), created
    records = instance.get_records_for_run(
        run.run_id, of_type=DagsterEventType.ENGINE_EVENT, limit=20
    ).records
    for record in records:
        event = record.event_log_entry.dagster_event
        data = event.engine_event_data if event else None
        if data and "pid" in (data.metadata or {}):
            return int(data.metadata["pid"].value), record.event_log_entry.timestamp
    return None


@dataclass
class DeadRun:
    run_id: str
    job_name: str
    data_version: str | None
    pid: int
    freed_slots: list[str]  # the pools whose slots it held


def in_progress_runs(
    instance, job_name: str | None = None, partition: str | None = None, queued: bool = False
) -> list:
    from dagster import DagsterRunStatus, RunsFilter

    statuses = [DagsterRunStatus.STARTING, DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING]
    if queued:
        statuses.append(DagsterRunStatus.QUEUED)
    tags = {PARTITION_TAG: partition} if partition else None
    return list(instance.get_runs(filters=RunsFilter(statuses=statuses, job_name=job_name, tags=tags)))


def is_dead(instance, run) -> tuple[bool, int | None]:
    found = run_process(instance, run)
    if found is None:
        return False, None
    pid, started_by = found
    return not processes.alive(pid, started_by), pid


def held_pools(instance, run_id: str) -> list[str]:
    return [
        pool
        for pool in POOLS
        for slot in instance.event_log_storage.get_concurrency_info(pool).claimed_slots
        if slot.run_id == run_id
    ]


def ensure_pool_limits(instance) -> None:
    """Give every pool its limit row before any run claims a slot. Dagster makes the row at a pool's first
    claim; two runs making it at once on PostgreSQL (a backfill of two releases) fail one of them with a
    unique violation its own retry cannot survive, the transaction being aborted."""
    storage = instance.event_log_storage
    known = {limit.name for limit in storage.get_pool_limits()}
    for pool in POOLS:
        if pool not in known:
            storage.initialize_concurrency_limit_to_default(pool)


def fail_dead_runs(
    instance, on_version_failed: Callable[[str, str, str], None] | None = None
) -> list[DeadRun]:
    """Fail every in-progress run whose process is gone and free its pool slots; `on_version_failed(version,
    run_id, message)` records it against the O*NET version the run was building."""
    dead = []
    for run in in_progress_runs(instance):
        gone, pid = is_dead(instance, run)
        if not gone:
            continue
        message = (
            f"the run's process (pid {pid}) is gone: killed or crashed; failed by occurisk crash recovery"
        )
        freed = held_pools(instance, run.run_id)
        instance.report_run_failed(run, message)
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        version = run.tags.get(PARTITION_TAG)
        if version and on_version_failed:
            on_version_failed(version, run.run_id, message)
        dead.append(DeadRun(run.run_id, run.job_name, version, pid, freed))
    return dead


def mark_versions_failed(version: str, run_id: str, message: str) -> None:
    """The O*NET version a dead run was building is failed, unless a newer build has started since; the
    run's claim on the version is freed (build_lock), so the next build of it is not refused."""
    from occurisk_assets.lib import db
    from occurisk_assets.runs import build_lock
    from occurisk_assets.versions import mark_failed

    with db.connect() as conn:
        mark_failed(conn, version, message, run_id)
    build_lock.release(version, run_id)


class SlotWaitReporter(threading.Thread):
    """While a run executes, say when one of its steps waits for a pool slot, and which runs hold it."""

    def __init__(
        self, instance, find_run_id: Callable[[], str | None], echo: Callable[[str], None], every_s=5.0
    ):
        super().__init__(daemon=True, name="occurisk-slot-wait")
        self.instance, self.find_run_id, self.echo, self.every_s = instance, find_run_id, echo, every_s
        self.stopped = threading.Event()
        self.said: set[tuple[str, str]] = set()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=self.every_s + 5)

    def check(self) -> None:
        run_id = self.find_run_id()
        if run_id is None:
            return
        for pool in POOLS:
            info = self.instance.event_log_storage.get_concurrency_info(pool)
            for step in info.pending_steps:
                if (
                    step.run_id != run_id
                    or step.assigned_timestamp is not None
                    or (pool, step.step_key) in self.said
                ):
                    continue
                holders = sorted({slot.run_id for slot in info.claimed_slots if slot.run_id != run_id})
                held = ", ".join(self._describe(h) for h in holders) or "no run (the slot is being freed)"
                self.echo(
                    f"step {step.step_key} waits for a free '{pool}' pool slot (limit {info.slot_count}); "
                    f"held by: {held}"
                )
                self.said.add((pool, step.step_key))

    def _describe(self, run_id: str) -> str:
        run = self.instance.get_run_by_id(run_id)
        if run is None:
            return run_id
        version = run.tags.get(PARTITION_TAG)
        return f"run {run_id} ({run.job_name}{', O*NET ' + version if version else ''}, {run.status.value})"

    def run(self) -> None:
        time.sleep(1.0)
        while not self.stopped.is_set():
            with contextlib.suppress(Exception):  # reporting must never break the run it reports on
                self.check()
            self.stopped.wait(self.every_s)
