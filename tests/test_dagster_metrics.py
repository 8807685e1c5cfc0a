"""`occurisk metrics dagster` (occurisk_assets/runs/metrics.py) as a real process over a PostgreSQL-backed
Dagster instance holding real runs: a job that succeeded, one whose step failed, an asset whose check failed,
a run started and not ended. Its /metrics says which job's latest run failed, how long each step took, which checks
failed and how old the unfinished run is — labelled by job, step and check names only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.dagster_platform import wait_for
from tests.serving import free_port


@dg.op
def load_rows() -> int:
    return 3


@dg.op
def count_rows(rows: int) -> int:
    return rows


@dg.job
def nightly_release():
    count_rows(load_rows())


@dg.op
def fetch_postings() -> None:
    raise RuntimeError("the job board answered 500")


@dg.job
def postings_crawl():
    fetch_postings()


@dg.asset(check_specs=[dg.AssetCheckSpec("has_rows", asset="scores")])
def scores():
    return dg.MaterializeResult(check_results=[dg.AssetCheckResult(passed=False, check_name="has_rows")])


def samples(text: str) -> dict[tuple[str, tuple], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_the_exporter_reports_failed_jobs_step_durations_failed_checks_and_unfinished_runs(
    platform, tmp_path
):
    instance = platform["instance"]
    assert nightly_release.execute_in_process(instance=instance).success
    assert not postings_crawl.execute_in_process(instance=instance, raise_on_error=False).success
    dg.materialize([scores], instance=instance)
    # A run that started and has not ended (its process still at work, or stuck).
    started = instance.create_run_for_job(nightly_release)
    instance.report_dagster_event(
        dg.DagsterEvent(dg.DagsterEventType.RUN_START.value, job_name="nightly_release"), started.run_id
    )

    port = free_port()
    occurisk = Path(sys.executable).with_name("occurisk")
    env = {**platform["env"], "OCCURISK_DAGSTER_PG_URL": os.environ["OCCURISK_DAGSTER_PG_URL"]}
    log = (tmp_path / "exporter.log").open("w")
    process = subprocess.Popen(
        [str(occurisk), "metrics", "dagster", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}/metrics"

        def answering():
            assert process.poll() is None, (tmp_path / "exporter.log").read_text()
            try:
                return httpx.get(url, timeout=30).text
            except httpx.TransportError:
                return None

        text = wait_for(answering, 180, "occurisk metrics dagster to answer")
    finally:
        process.terminate()
        process.wait(timeout=30)
    found = samples(text)
    assert found[("occurisk_dagster_metrics_up", ())] == 1
    assert found[("occurisk_dagster_job_failing", (("job", "nightly_release"),))] == 0
    assert found[("occurisk_dagster_job_failing", (("job", "postings_crawl"),))] == 1
    assert found[("occurisk_dagster_runs", (("job", "postings_crawl"), ("status", "FAILURE")))] == 1
    assert found[("occurisk_dagster_runs", (("job", "nightly_release"), ("status", "SUCCESS")))] == 1
    assert found[("occurisk_dagster_runs", (("job", "nightly_release"), ("status", "STARTED")))] == 1
    steps = {
        labels: v for (name, labels), v in found.items() if name == "occurisk_dagster_step_duration_seconds"
    }
    assert {dict(labels)["step"] for labels in steps} >= {"load_rows", "count_rows", "fetch_postings"}
    assert steps[(("job", "postings_crawl"), ("status", "FAILURE"), ("step", "fetch_postings"))] >= 0
    failed_check = (("asset", "scores"), ("check", "has_rows"), ("severity", "ERROR"))
    assert found[("occurisk_dagster_asset_check_failures", failed_check)] == 1
    # The started run: in progress for nightly_release only; the finished jobs have none.
    in_progress = {labels for (name, labels) in found if name == "occurisk_dagster_run_in_progress_seconds"}
    assert in_progress == {(("job", "nightly_release"),)}
    # Job, step and check names only: no run id anywhere.
    assert started.run_id not in text
