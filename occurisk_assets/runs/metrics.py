"""Dagster's runs as Prometheus metrics: `occurisk metrics dagster` serves /metrics (default 127.0.0.1:9109),
reading the Dagster instance (DAGSTER_HOME's dagster.yaml: the `dagster` database) at each scrape.

Why an exporter of its own rather than the API's collector (api/platform_metrics.py): Dagster's run and event
storage is another database, owned by another role; the API's read-only role would need rights there, and the
storage's tables are Dagster's to change between versions — the instance's API reads them whatever the
version. Labels are job, status, step and asset-check names: closed sets, never a partition or a run id.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from datetime import UTC, datetime

import click
from dagster import (
    AssetCheckEvaluation,
    DagsterEventType,
    DagsterInstance,
    DagsterRunStatus,
    EventRecordsFilter,
    RunsFilter,
)
from prometheus_client import CollectorRegistry, start_http_server
from prometheus_client.core import GaugeMetricFamily

from occurisk_assets.lib.scraped import read_or_down

# Runs counted per job and status: those created in the last day.
WINDOW_S = 24 * 3600
# The latest finished run of each job is looked for among this many of the most recent finished runs.
FINISHED_RUNS_READ = 200


class DagsterRunsCollector:
    """A prometheus-client custom collector over a Dagster instance (collect() is called at each scrape)."""

    def __init__(self, instance):
        self.instance = instance

    def collect(self):
        # Any storage error (SQLAlchemy's, psycopg's, Dagster's): said in a metric, never a failed scrape.
        return read_or_down(
            "Dagster metrics", "occurisk_dagster_metrics_up", lambda: self._read(time.time()), Exception
        )

    def _read(self, now: float) -> list:
        runs = GaugeMetricFamily(
            "occurisk_dagster_runs",
            "Runs created in the last day, per job and status",
            labels=["job", "status"],
        )
        counts: dict[tuple[str, str], int] = {}
        since = RunsFilter(created_after=_utc(now - WINDOW_S))
        for record in self.instance.get_run_records(filters=since):
            key = (record.dagster_run.job_name, record.dagster_run.status.value)
            counts[key] = counts.get(key, 0) + 1
        for (job, status), n in sorted(counts.items()):
            runs.add_metric([job, status], n)

        running = GaugeMetricFamily(
            "occurisk_dagster_run_in_progress_seconds",
            "Age of the oldest run queued, starting or started, per job",
            labels=["job"],
        )
        oldest: dict[str, float] = {}
        unfinished = RunsFilter(
            statuses=[DagsterRunStatus.QUEUED, DagsterRunStatus.STARTING, DagsterRunStatus.STARTED]
        )
        for record in self.instance.get_run_records(filters=unfinished):
            job, created = record.dagster_run.job_name, record.create_timestamp.timestamp()
            oldest[job] = min(oldest.get(job, created), created)
        for job, created in sorted(oldest.items()):
            running.add_metric([job], max(now - created, 0.0))

        failing = GaugeMetricFamily(
            "occurisk_dagster_job_failing",
            "1 if the job's latest finished run failed, 0 if it succeeded",
            labels=["job"],
        )
        ended = GaugeMetricFamily(
            "occurisk_dagster_job_last_end_timestamp_seconds",
            "When the job's latest finished run ended",
            labels=["job"],
        )
        steps = GaugeMetricFamily(
            "occurisk_dagster_step_duration_seconds",
            "How long each step of the job's latest finished run took, with its outcome",
            labels=["job", "step", "status"],
        )
        finished = RunsFilter(
            statuses=[DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED]
        )
        latest: dict[str, object] = {}
        for record in self.instance.get_run_records(filters=finished, limit=FINISHED_RUNS_READ):
            latest.setdefault(record.dagster_run.job_name, record)  # newest first
        for job, record in sorted(latest.items()):
            run = record.dagster_run
            failing.add_metric([job], 0 if run.status == DagsterRunStatus.SUCCESS else 1)
            ended.add_metric([job], record.end_time or record.update_timestamp.timestamp())
            for stat in self.instance.get_run_step_stats(run.run_id):
                if stat.start_time and stat.end_time:
                    status = stat.status.value if stat.status else "UNKNOWN"
                    steps.add_metric([job, stat.step_key, status], stat.end_time - stat.start_time)

        checks = GaugeMetricFamily(
            "occurisk_dagster_asset_check_failures",
            "Asset-check evaluations that failed in the last day, per asset, check and severity",
            labels=["asset", "check", "severity"],
        )
        failed: dict[tuple[str, str, str], int] = {}
        evaluations = EventRecordsFilter(
            event_type=DagsterEventType.ASSET_CHECK_EVALUATION, after_timestamp=now - WINDOW_S
        )
        for record in self.instance.get_event_records(evaluations):
            evaluation = record.event_log_entry.dagster_event.event_specific_data
            if isinstance(evaluation, AssetCheckEvaluation) and not evaluation.passed:
                key = (
                    evaluation.asset_key.to_user_string(),
                    evaluation.check_name,
                    evaluation.severity.value,
                )
                failed[key] = failed.get(key, 0) + 1
        for labels, n in sorted(failed.items()):
            checks.add_metric(list(labels), n)
        return [runs, running, failing, ended, steps, checks]


def _utc(timestamp: float):
    return datetime.fromtimestamp(timestamp, UTC)


@click.group("metrics")
def metrics_group() -> None:
    """Prometheus exporters for what the API's /metrics cannot read."""


@metrics_group.command("dagster")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=9109, show_default=True, type=int)
def dagster_metrics(host: str, port: int) -> None:
    """Serve Dagster's runs, step durations and asset-check failures at http://HOST:PORT/metrics."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(DagsterRunsCollector(DagsterInstance.get()))
    server, _ = start_http_server(port, addr=host, registry=registry)
    click.echo(f"Dagster metrics at http://{host}:{port}/metrics (Ctrl-C stops)")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()  # the server answers from its own thread until SIGTERM or Ctrl-C
    server.shutdown()
    # The Dagster instance can hold threads that are not daemons: without this the process outlived
    # SIGTERM by more than 30 s in a loaded test run. Nothing is left to flush.
    os._exit(0)


commands = [metrics_group]
