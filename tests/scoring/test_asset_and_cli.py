"""The Dagster asset (real materialize, with its checks) and the CLI commands, offline on real 30.1 data."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import httpx
from click.testing import CliRunner

from occurisk_assets.cli import main
from occurisk_assets.defs.scoring.assets import task_ai_score
from occurisk_assets.defs.scoring.checks import scored_tasks_in_catalog, scores_within_0_1
from tests.resources import resources_for_tests
from tests.serving import free_port


def test_materializing_the_partition_scores_with_the_offline_raters_and_passes_its_checks(catalog_db):
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("data_version", ["30.1"])

    result = dg.materialize(
        [task_ai_score, scores_within_0_1, scored_tasks_in_catalog],
        partition_key="30.1",
        instance=instance,
        resources=resources_for_tests(catalog_db),
        run_config=dg.RunConfig({"core__task_ai_score": {"config": {"top_n": 500}}}),
    )

    assert result.success
    (materialization,) = result.asset_materializations_for_node("core__task_ai_score")
    metadata = materialization.metadata
    assert metadata["tasks_scored"].value + metadata["tasks_unscored"].value == 2 * 500
    assert metadata["calls_made"].value == 0
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks == {"scores_within_0_1": True, "scored_tasks_in_catalog": True}


def test_a_sample_of_20_is_scored_by_the_two_default_raters(catalog_db):
    runner = CliRunner()

    result = runner.invoke(main, ["score", "--version", "30.1", "--sample", "20"])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # The run's log lines come first (stderr), then the table of scoring runs.
    runs = [line.split() for line in lines if line.split()[1:2] and line.split()[1].startswith("published:")]
    assert [r[1] for r in runs] == ["published:gpt4_exposure", "published:human_exposure"]
    assert all(r[2] == "completed" for r in runs)
    assert sum(int(r[3]) + int(r[4]) for r in runs) == 2 * 20  # scored + unscored per model
    preview = lines[lines.index(next(line for line in lines if line.strip().startswith("task"))) + 1 :]
    assert len(preview) == 22  # a line per task (mean, std, models, statement), a blank line, the aggregation
    assert preview[-1].startswith("not aggregated: marts.occupation_task_weight has no weights for 30.1")

    listed = runner.invoke(main, ["runs", "list", "--version", "30.1"])
    assert listed.exit_code == 0, listed.output
    assert sum("published:" in line and "completed" in line for line in listed.output.splitlines()) == 2


def test_score_names_an_unknown_model(catalog_db):
    result = CliRunner().invoke(main, ["score", "--version", "30.1", "--models", "openai:gpt-99"])
    assert result.exit_code != 0
    assert "unknown model 'openai:gpt-99'" in result.output


def test_score_says_which_key_is_missing(catalog_db):
    result = CliRunner().invoke(
        main, ["score", "--version", "30.1", "--models", "anthropic:claude-haiku-4-5"]
    )
    assert result.exit_code != 0
    assert "needs ANTHROPIC_API_KEY" in result.output


def test_mlflow_ui_serves_the_tracking_store_from_the_installed_package(catalog_db):
    """`occurisk mlflow-ui` runs the full mlflow package's server (no download) on the PostgreSQL store."""
    printed = CliRunner().invoke(main, ["mlflow-ui", "--print-only"])
    assert printed.exit_code == 0, printed.output
    assert f"{sys.executable} -m mlflow server --backend-store-uri postgresql+psycopg2://" in printed.output

    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "occurisk"), "mlflow-ui", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # the server's workers die with it
    )
    try:
        deadline = time.monotonic() + 400  # a busy machine: mlflow migrates its store first
        while True:
            assert server.poll() is None, server.stderr.read().decode()[-2000:]
            try:
                reply = httpx.get(f"http://127.0.0.1:{port}/api/2.0/mlflow/experiments/search?max_results=10")
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the MLflow server did not answer within 400 s"
                time.sleep(1)
        assert reply.status_code == 200, reply.text
        assert "Default" in [e["name"] for e in reply.json()["experiments"]]  # its store is initialised
        assert httpx.get(f"http://127.0.0.1:{port}/").status_code == 200  # the UI page
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
