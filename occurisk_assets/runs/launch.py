"""Every build the `occurisk` command starts is a Dagster run on the instance (DAGSTER_HOME: its run and
event storage in PostgreSQL), executed in this process: it shows in the Dagster UI with its logs, like a run
launched there, the sensor's or a backfill's."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Iterable

import click

from occurisk_assets.lib import db, schema
from occurisk_assets.lib.names import DATA_VERSION_JOB
from occurisk_assets.lib.settings import PROJECT_ROOT
from occurisk_assets.runs import build_lock
from occurisk_assets.runs import recovery as run_recovery


def dagster_instance():
    from dagster import DagsterInstance

    os.environ.setdefault("DAGSTER_HOME", str(PROJECT_ROOT))
    return DagsterInstance.get()


def register_partition(instance, data_version: str) -> None:
    from occurisk_assets.partitions import data_version_partitions

    if not instance.has_dynamic_partition(data_version_partitions.name, data_version):
        instance.add_dynamic_partitions(data_version_partitions.name, [data_version])


def run_job(
    job_name: str,
    *,
    partition_key: str | None = None,
    assets: Iterable | None = None,
    run_config: dict | None = None,
    tags: dict[str, str] | None = None,
    instance=None,
    echo: Callable[[str], None] | None = None,
):
    """Execute `job_name` (only `assets` when given: asset keys or an AssetSelection within the job) for
    `partition_key` on the instance;
    returns the ExecuteInProcessResult. The run is tagged with this process's id (crash recovery tells from
    it whether the run still lives); `echo` hears when a step waits for a pool slot, and which runs hold it.
    A run of the data_version job holds its version (build_lock) from before the run is created until it
    has ended: while another build of the version lives, it is refused at once."""
    from dagster import AssetSelection

    from occurisk_assets.definitions import defs
    from occurisk_assets.lib.run_logging import CLI_LOGGER

    schema.ensure_server()
    db.export_connection_env()  # what the run starts (dbt) reads the connection from the environment
    instance = instance or dagster_instance()
    run_id = str(uuid.uuid4())
    holds_version = job_name == DATA_VERSION_JOB and partition_key is not None
    with contextlib.ExitStack() as held:
        if holds_version:
            try:
                held.enter_context(build_lock.launched(instance, partition_key, run_id))
            except build_lock.AlreadyBuilding as refused:
                raise click.ClickException(str(refused)) from None
        if partition_key is not None:
            register_partition(instance, partition_key)
        job = defs().resolve_job_def(job_name)
        if isinstance(assets, AssetSelection):
            selected = list(assets.resolve(job.asset_layer.asset_graph))
        else:
            selected = list(assets) if assets is not None else None
        tags = {**run_recovery.process_tags(), **(tags or {})}
        # INFO on the console: the step-by-step DEBUG events stay in the instance's event log (Dagster UI).
        run_config = {"loggers": {CLI_LOGGER: {"config": {"log_level": "INFO"}}}, **(run_config or {})}
        reporter = run_recovery.SlotWaitReporter(instance, lambda: run_id, echo) if echo else None
        if reporter:
            reporter.start()
        try:
            return job.execute_in_process(
                partition_key=partition_key,
                asset_selection=selected,
                instance=instance,
                run_config=run_config,
                raise_on_error=False,
                tags=tags,
                run_id=run_id,
            )
        finally:
            if reporter:
                reporter.stop()


def _user_error(error):
    """The exception the asset raised, not Dagster's wrapper around it."""
    while error.cause is not None and error.cls_name in {
        "DagsterExecutionStepExecutionError",
        "DagsterUserCodeExecutionError",
    }:
        error = error.cause
    return error


def failed_steps(result) -> list[str]:
    """`<step>: <the error's message on one line>` for each failed step of the run."""
    lines = []
    for event in result.all_events:
        if event.is_step_failure:
            error = _user_error(event.step_failure_data.error)
            message = error.message.split(": ", 1)[-1].strip() if error.cls_name else error.message.strip()
            # One line, whatever the error's layout (dbt's spreads its command over several).
            lines.append(f"{event.step_key}: {' '.join(message.split())[:500] or error.cls_name or 'failed'}")
    return lines


class BuildFailed(click.ClickException):
    """A run failed: one line with its failed step's error (which names the file and line where there is
    one), the step and the run."""

    def __init__(self, what: str, result):
        failures = failed_steps(result)
        self.failures = failures
        if failures:
            step, error = failures[0].split(": ", 1)
            more = f" and {len(failures) - 1} more" if len(failures) > 1 else ""
            message = f"{error} ({what}: step {step}{more} failed, Dagster run {result.run_id})"
        else:
            message = f"{what} failed (Dagster run {result.run_id})"
        super().__init__(message)


def check(result, what: str):
    """The result when the run succeeded; BuildFailed naming its failed step otherwise."""
    if not result.success:
        raise BuildFailed(what, result)
    return result
