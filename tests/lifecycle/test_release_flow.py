"""A release's whole life on real data, in one database: dropped in the landing folder → the sensor's run →
diff report → gated activation; backfills, rollback, re-scoring with the fake LLM server, retention.

The tests of this module build on each other in file order (the first fixture runs the pipeline for 30.0
and 30.1, which is the slow part)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from dagster import (
    ExecuteInProcessResult,
    RunRequest,
    build_schedule_context,
    instance_for_test,
    materialize,
)

from occurisk_assets.cli import main
from occurisk_assets.defs.lifecycle.assets import version_activation
from occurisk_assets.defs.lifecycle.schedules import rescore_request, weekly_rescore
from occurisk_assets.lib import db
from occurisk_assets.lib.settings import get_settings
from occurisk_assets.lifecycle.activation import activate
from occurisk_assets.lifecycle.retention import RetentionError, archive_version, plan_retention
from occurisk_assets.partitions import data_version_partitions
from tests.fakes.llm_server import FakeLLMServer
from tests.lifecycle.conftest import Ticks, drop_release, execute, platform_defs
from tests.resources import resources_for_tests
from tests.scoring.conftest import ANTHROPIC_TEST_KEY, OPENAI_TEST_KEY, fake_config

# Builds whole releases end to end (minutes): started first, see tests/conftest.py.
pytestmark = pytest.mark.builds_releases


@dataclass
class Flow:
    ticks: Ticks
    landing: Path
    runs: dict[str, ExecuteInProcessResult]

    @property
    def instance(self):
        return self.ticks.instance


def query(sql: str, params: tuple = ()) -> list[tuple]:
    with db.connect() as conn:
        return conn.execute(sql, params).fetchall()


@pytest.fixture(scope="module")
def flow(module_database, tmp_path_factory):
    """30.0 dropped and run by the sensor on a new instance (its run loads BLS too), then 30.1. Slow by its
    point (two whole builds, shared by every test of the module): the diff, the gates and the rollback need
    two real versions built by the sensor's runs."""
    landing = tmp_path_factory.mktemp("landing")
    with pytest.MonkeyPatch.context() as env, instance_for_test() as instance:
        env.setenv("OCCURISK_ONET_LANDING", str(landing))
        env.setenv("OCCURISK_LANDING_SETTLE_S", "0")
        get_settings.cache_clear()
        flow = Flow(Ticks(instance), landing, {})
        for version in ("30.0", "30.1"):
            drop_release(landing, version)
            [request] = flow.ticks.tick().run_requests
            flow.runs[version] = execute(instance, request)
        yield flow
    get_settings.cache_clear()


def test_the_sensor_runs_end_with_30_1_active_after_30_0(flow):
    assert query("SELECT id FROM core.data_version WHERE is_active") == [("30.1",)]
    assert query(
        "SELECT data_version, outcome, active_before, active_after FROM core.activation_log "
        "ORDER BY decision_id"
    ) == [("30.0", "activated", None, "30.0"), ("30.1", "activated", "30.0", "30.1")]
    run = flow.runs["30.1"]
    assert run.dagster_run.tags["occurisk/trigger"] == "release_sensor"
    [activation] = run.asset_materializations_for_node("version_activation")
    assert activation.metadata["outcome"].value == "activated"
    assert activation.metadata["active_before"].value == "30.0"
    gates = {
        e.check_name: e.passed
        for e in run.get_asset_check_evaluations()
        if e.asset_key.to_user_string() == "version_activation"
    }
    assert gates == {
        "raw_rows_match_manifest": True,
        "task_weights_sum_to_one": True,
        "scoring_coverage": True,
    }


def test_diff_30_0_to_30_1_on_the_real_files(flow):
    [(baseline, removed, added, reworded, redated, occ_added, occ_removed, occ_retitled, report)] = query(
        """SELECT baseline_version, tasks_removed, tasks_added, tasks_reworded, tasks_redated, occupations_added,
                  occupations_removed, occupations_retitled, report FROM core.version_diff WHERE data_version = '30.1'"""
    )
    assert (baseline, removed, added, reworded, redated) == ("30.0", 1, 0, 0, 25)
    assert (occ_added, occ_removed, occ_retitled) == (0, 0, 0)
    [task] = report["tasks_removed"]
    assert (task["task_id"], task["onetsoc_code"]) == (22703, "29-1212.00")
    redated_tasks = report["tasks_redated"]
    assert {t["onetsoc_code"] for t in redated_tasks} == {"29-1212.00"}
    assert {(t["before"], t["after"]) for t in redated_tasks} == {("11/2020", "12/2025")}
    assert [t["task_id"] for t in redated_tasks] == [*range(22689, 22703), *range(22704, 22715)]
    rows = {r["table"]: (r["before"], r["after"], r["change"]) for r in report["row_counts"]}
    assert rows["task_statements"] == (18797, 18796, -1)
    assert rows["alternate_titles"] == (56495, 56505, 10)
    assert rows["occupation_data"] == (1016, 1016, 0)
    assert rows["skills"] == (None, 62580, None)  # absent from the 30.0 copy
    # Scores: the same published ratings, one task fewer — the distributions barely move.
    shift = report["task_scores"]
    [(n_before,)] = query("SELECT count(*) FROM marts.task_ai_ensemble WHERE data_version = '30.0'")
    [(n_after,)] = query("SELECT count(*) FROM marts.task_ai_ensemble WHERE data_version = '30.1'")
    assert (shift["n_before"], shift["n_after"]) == (n_before, n_after)
    assert shift["ks_statistic"] < 1e-3 and shift["ks_pvalue"] > 0.999 and shift["js_divergence"] < 1e-5
    # Offline raters: two published "models", no provider call.
    assert [(p["model"], p["runs"], p["calls"]) for p in report["provider_calls"]] == [
        ("published:gpt4_exposure", 1, 0),
        ("published:human_exposure", 1, 0),
    ]


def test_the_report_is_markdown_metadata_in_the_dagster_ui(flow):
    [materialization] = flow.runs["30.1"].asset_materializations_for_node("version_diff")
    markdown = materialization.metadata["report"].value
    assert markdown.startswith("## O*NET 30.0 → 30.1")
    assert "**0 added, 1 removed, 0 reworded, 25 re-dated**" in markdown
    assert "- **22703** (29-1212.00):" in markdown
    assert materialization.metadata["tasks_removed"].value == 1
    assert materialization.metadata["baseline_version"].value == "30.0"


def test_the_api_serves_the_diff(flow, module_database):
    from fastapi.testclient import TestClient

    from api.main import create_app

    with TestClient(create_app(module_database)) as client:
        response = client.get("/api/v1/versions/30.1/diff")
        assert response.status_code == 200
        body = response.json()
        assert (body["data_version"], body["baseline_version"]) == ("30.1", "30.0")
        assert [(t["task_id"], t["onetsoc_code"]) for t in body["tasks_removed"]] == [(22703, "29-1212.00")]
        assert len(body["tasks_redated"]) == 25
        assert body["meta"]["data_version"] == "30.1"
        assert body["markdown"].startswith("## O*NET 30.0 → 30.1")
        first = client.get("/api/v1/versions/30.0/diff").json()
        assert first["baseline_version"] is None and first["tasks_removed"] == []
        missing = client.get("/api/v1/versions/31.0/diff")
        assert (missing.status_code, missing.json()["detail"]) == (404, "no diff report for O*NET 31.0")
        assert client.get("/api/v1/versions/not a version/diff").status_code == 422


def _counts() -> dict[tuple[str, str], int]:
    """Rows per (table, data_version) of every raw table and mart."""
    with db.connect() as conn:
        tables = [
            f"{s}.{t}"
            for s, t in conn.execute(
                """SELECT table_schema, table_name FROM information_schema.tables
               WHERE table_schema IN ('onet_raw', 'marts') AND table_type = 'BASE TABLE'
                 AND table_name NOT LIKE '%%\\_\\_v%%' ORDER BY 1, 2"""
            )
        ]
        counts = {}
        for table in tables:
            for version, n in conn.execute(f"SELECT data_version, count(*) FROM {table} GROUP BY 1"):
                counts[(table, version)] = n
    return counts


def _of(counts: dict, version: str) -> dict:
    return {table: n for (table, v), n in counts.items() if v == version}


def test_backfill_leaves_independent_partitions(flow):
    """29.1 materialized after 30.0 and 30.1 (a backfill of an older release), then 29.1 again. Slow by its
    point (two whole runs of the job): only the whole job run twice shows that no table of any step doubles
    and no other partition moves."""
    before = _counts()
    backfill = RunRequest(partition_key="29.1", tags={"occurisk/trigger": "backfill"})
    flow.instance.add_dynamic_partitions(data_version_partitions.name, ["29.1"])
    execute(flow.instance, backfill)
    after_backfill = _counts()
    for version in ("30.0", "30.1"):
        assert _of(after_backfill, version) == _of(before, version)
    first_29_1 = _of(after_backfill, "29.1")
    assert first_29_1[("onet_raw.task_statements")] == 18796
    assert first_29_1["marts.occupation_task_weight"] > 0 and first_29_1["marts.occupation_ai_score"] > 0

    execute(flow.instance, backfill)  # re-materialize one partition: the others do not move, nothing doubles
    assert _counts() == after_backfill
    # An older release is never switched to automatically; its report compares with what came before it.
    assert query("SELECT id FROM core.data_version WHERE is_active") == [("30.1",)]
    assert query(
        "SELECT outcome FROM core.activation_log WHERE data_version = '29.1' ORDER BY decision_id"
    ) == [("not_newer",), ("not_newer",)]
    assert query("SELECT baseline_version FROM core.version_diff WHERE data_version = '29.1'") == [(None,)]


def test_gated_activation_blocks_forces_and_rolls_back(flow, settings_env):
    runner = CliRunner()
    settings_env(OCCURISK_ACTIVATION_MIN_COVERAGE=1.0)  # no release of ours has every task rated
    blocked = runner.invoke(main, ["versions", "activate", "30.0"])
    assert blocked.exit_code == 1
    assert re.search(
        r"FAIL scoring_coverage: mean scoring coverage 0\.\d{3} < 1\.000 \(\d+ of \d+ SOCs scored\)",
        blocked.output,
    )
    assert "ok   task_weights_sum_to_one: weights sum to 1 for all" in blocked.output
    assert "O*NET 30.0 not activated (30.1 stays active); --force overrides" in blocked.output
    assert query("SELECT id FROM core.data_version WHERE is_active") == [("30.1",)]

    forced = runner.invoke(main, ["versions", "activate", "30.0", "--force"])  # a person rolls back
    assert forced.exit_code == 0, forced.output
    assert "O*NET 30.0 is now active (was 30.1) — forced past failing checks" in forced.output
    listing = runner.invoke(main, ["versions", "list"]).output.splitlines()
    [line_30_0] = [line for line in listing if line.startswith("* 30.0")]
    assert "[activated: forced past failing gates: scoring_coverage: mean scoring coverage" in line_30_0
    [line_29_1] = [line for line in listing if "29.1" in line]
    assert "[not_newer: older than the active 30.1" in line_29_1

    # The pipeline's activation step: 30.1 is newer than the active 30.0, but its checks fail → 30.0 stays.
    refused = materialize(
        [version_activation], partition_key="30.1", instance=flow.instance, resources=resources_for_tests()
    )
    [materialization] = refused.asset_materializations_for_node("version_activation")
    assert materialization.metadata["outcome"].value == "blocked"
    assert materialization.metadata["active_after"].value == "30.0"
    assert "scoring_coverage: mean scoring coverage" in materialization.metadata["reason"].value
    checks = {e.check_name: e.passed for e in refused.get_asset_check_evaluations()}
    assert checks == {
        "raw_rows_match_manifest": True,
        "task_weights_sum_to_one": True,
        "scoring_coverage": False,
    }
    assert query("SELECT id FROM core.data_version WHERE is_active") == [("30.0",)]

    settings_env(OCCURISK_ACTIVATION_MIN_COVERAGE=0.8)
    accepted = materialize(
        [version_activation], partition_key="30.1", instance=flow.instance, resources=resources_for_tests()
    )
    assert (
        accepted.asset_materializations_for_node("version_activation")[0].metadata["outcome"].value
        == "activated"
    )
    assert query("SELECT id FROM core.data_version WHERE is_active") == [("30.1",)]
    assert (
        runner.invoke(main, ["versions", "activate", "30.1"])
        .output.strip()
        .endswith("O*NET 30.1 is already active")
    )


def test_rescoring_30_1_after_30_0_calls_the_providers_only_for_changed_texts(flow, settings_env, tmp_path):
    """The weekly re-scoring job with both LLMs behind the fake HTTP server: the top 60 tasks of 30.0 cost
    60 calls per model; 30.1 changed no task text, so scoring it costs none."""
    assert rescore_request(get_settings(), resources_for_tests()["database"]).skip_message == (
        "no provider API key configured (ANTHROPIC_API_KEY / OPENAI_API_KEY): nothing is re-scored"
    )
    with FakeLLMServer() as server:
        fake_config(tmp_path, server)
        settings_env(
            OPENAI_API_KEY=OPENAI_TEST_KEY,
            ANTHROPIC_API_KEY=ANTHROPIC_TEST_KEY,
            OCCURISK_SCORING_CONFIG=tmp_path / "scoring-test.toml",
        )
        # Entered, as the daemon does: the instance the context opens from its ref is closed with it (left
        # open, it stays the process's current instance and a later test loads definitions against it).
        with build_schedule_context(
            flow.instance,
            repository_def=platform_defs().get_repository_def(),
            resources=resources_for_tests(),
        ) as context:
            weekly = weekly_rescore.evaluate_tick(context)
        [request] = weekly.run_requests
        assert request.partition_key == "30.1"  # the active version
        assert (
            request.tags["occurisk/stale_tasks"]
            == "openai:gpt-4.1-mini=18796, anthropic:claude-haiku-4-5=18796"
        )

        top_60 = {"ops": {"core__task_ai_score": {"config": {"top_n": 60}}}}
        execute(flow.instance, RunRequest(partition_key="30.0"), "rescore_active_version", top_60)
        assert (server.completions("openai"), server.completions("anthropic")) == (60, 60)
        rescored = CliRunner().invoke(main, ["rescore", "--version", "30.1", "--top-n", "60"])
        assert rescored.exit_code == 0, rescored.output
        assert "; 0 provider calls, $0.0000 (Dagster run" in rescored.output
        assert (server.completions("openai"), server.completions("anthropic")) == (60, 60)

        assert query("""SELECT model, n_calls, n_cache_hits FROM core.model_run WHERE data_version = '30.1'
                        AND provider <> 'published' ORDER BY model""") == [
            ("anthropic:claude-haiku-4-5", 0, 60),
            ("openai:gpt-4.1-mini", 0, 60),
        ]
        [(report,)] = query("SELECT report FROM core.version_diff WHERE data_version = '30.1'")
        calls = {p["model"]: (p["calls"], p["cache_hits"]) for p in report["provider_calls"]}
        assert calls["openai:gpt-4.1-mini"] == (0, 60) and calls["anthropic:claude-haiku-4-5"] == (0, 60)
        stale = rescore_request(get_settings(), resources_for_tests()["database"])
        assert (
            stale.tags["occurisk/stale_tasks"]
            == "openai:gpt-4.1-mini=18736, anthropic:claude-haiku-4-5=18736"
        )


def _core_counts() -> dict[tuple[str, str], int]:
    counts = {}
    with db.connect() as conn:
        for table in (
            "core.model_run",
            "core.task_ai_score",
            "core.release_files",
            "core.version_diff",
            "core.activation_log",
            "core.scoring_failure",
        ):
            for version, n in conn.execute(f"SELECT data_version, count(*) FROM {table} GROUP BY 1"):
                counts[(table, version)] = n
        counts[("core.llm_call", "*")] = conn.execute("SELECT count(*) FROM core.llm_call").fetchone()[0]
        counts[("core.data_version", "*")] = conn.execute(
            "SELECT count(*) FROM core.data_version"
        ).fetchone()[0]
    return counts


def _fingerprints() -> tuple:
    """The exact content of a few archived rows: 29.1's task statements and 30.0's runs with their scores."""
    return query("""SELECT (SELECT md5(string_agg(t::text, '|' ORDER BY line_no)) FROM onet_raw.task_statements t
                            WHERE data_version = '29.1'),
                           (SELECT md5(string_agg(r::text, '|' ORDER BY run_id)) FROM core.model_run r
                            WHERE data_version = '30.0'),
                           (SELECT md5(string_agg(s::text, '|' ORDER BY run_id, task_id)) FROM core.task_ai_score s
                            WHERE data_version = '30.0')""")[0]


def test_retention_protects_the_active_version_archives_and_restores(flow, settings_env, tmp_path):
    settings_env(OCCURISK_ARCHIVE_DIR=tmp_path / "archive")
    runner = CliRunner()
    with db.connect() as conn:
        # Rolled back to 30.0: the newest version (30.1) and the active one (30.0) are both kept.
        activate(conn, "30.0")
        assert plan_retention(conn, keep_versions=1, keep_runs=3).versions == ["29.1"]
        activate(conn, "30.1")
        with pytest.raises(RetentionError, match="O\\*NET 30.1 is the active version: it is never archived"):
            archive_version(conn, "30.1", tmp_path / "never")
    raw_before, core_before, fingerprints = _counts(), _core_counts(), _fingerprints()
    dry = runner.invoke(main, ["archive", "--keep-versions", "2", "--keep-runs", "1", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    # Runs are kept per version: the inactive 30.0 keeps its one run per model (it is a kept version).
    assert dry.output.splitlines() == [
        "keep the newest 2 complete O*NET versions and 1 runs per model in each; active version: 30.1",
        "would archive O*NET 29.1 (raw tables, marts, release manifest, its scoring runs)",
    ]
    assert (_counts(), _core_counts()) == (raw_before, core_before)

    done = runner.invoke(main, ["archive", "--keep-versions", "2", "--keep-runs", "1"])
    assert done.exit_code == 0, done.output
    archives = sorted((tmp_path / "archive").iterdir())
    assert [a.name.split("-")[0] for a in archives] == ["onet"]
    raw_after, core_after = _counts(), _core_counts()
    assert _of(raw_after, "29.1") == {}
    for version in ("30.0", "30.1"):
        assert _of(raw_after, version) == _of(raw_before, version)
    assert core_after[("core.data_version", "*")] == 2
    assert core_after[("core.llm_call", "*")] == core_before[("core.llm_call", "*")] == 120  # the cache stays
    for version in ("30.0", "30.1"):
        for table in ("core.model_run", "core.task_ai_score"):
            assert core_after[(table, version)] == core_before[(table, version)]
    assert core_after[("core.model_run", "30.1")] == core_before[("core.model_run", "30.1")] == 4
    with db.connect() as conn:
        logged = conn.execute(
            "SELECT kind, data_version, tables FROM core.archive_log ORDER BY archive_id"
        ).fetchall()
    assert [(kind, version) for kind, version, _ in logged] == [("version", "29.1")]
    assert logged[0][2]["onet_raw.task_statements"] == 18796
    assert (archives[0] / "onet_raw.task_statements.csv.gz").is_file()

    for archive in archives:
        restored = runner.invoke(main, ["restore", str(archive)])
        assert restored.exit_code == 0, restored.output
    assert _counts() == raw_before
    assert {k: v for k, v in _core_counts().items() if k[0] != "core.archive_log"} == core_before
    assert _fingerprints() == fingerprints
    again = runner.invoke(main, ["restore", str(archives[0])])
    assert again.exit_code == 1
    assert "O*NET 29.1 is in the database again: restoring would mix two copies of it" in again.output
