"""Every scoring run is an MLflow run in the `mlflow` database; no API key reaches any table or MLflow."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from mlflow.tracking import MlflowClient

from occurisk_assets.lib import db
from occurisk_assets.lib.mlflow_store import tracking_uri
from occurisk_assets.lib.settings import get_settings
from occurisk_assets.scoring.runs import ScoringEnvironment, ScoringRequest, run_scoring

from .conftest import ANTHROPIC_MODEL, ANTHROPIC_TEST_KEY, LLM_MODELS, OPENAI_MODEL, OPENAI_TEST_KEY

SAMPLE = 6


def _tables_containing(url: str, needle: str) -> list[str]:
    """Every table (any schema but the catalogs) with a row whose text form contains `needle`."""
    with psycopg.connect(url) as conn:
        tables = conn.execute(
            "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables "
            "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        ).fetchall()
        return [
            t
            for (t,) in tables
            if conn.execute(
                f"SELECT EXISTS (SELECT 1 FROM {t} AS r WHERE r::text LIKE %s)", [f"%{needle}%"]
            ).fetchone()[0]
        ]


def test_a_scoring_run_is_logged_to_mlflow_without_any_key(conn, fake_api, llm_config, llm_settings):
    summaries = run_scoring(
        conn,
        ScoringRequest("30.1", models=LLM_MODELS, sample=SAMPLE),
        ScoringEnvironment(config=llm_config, settings=llm_settings),
    )

    (mlflow_run_id,) = {s.mlflow_run_id for s in summaries}
    assert mlflow_run_id is not None
    run = MlflowClient(tracking_uri()).get_run(mlflow_run_id)
    assert run.info.status == "FINISHED"
    assert run.data.params["models"] == ",".join(LLM_MODELS)
    assert (run.data.params["data_version"], run.data.params["prompt_version"]) == (
        "30.1",
        "task-exposure-v1",
    )
    assert (run.data.params["top_n"], run.data.params["sample"]) == ("all", str(SAMPLE))
    metrics = run.data.metrics
    assert (metrics["calls_made"], metrics["cache_hits"], metrics["failures"]) == (2 * SAMPLE, 0, 0)
    assert metrics["estimated_cost_usd"] == pytest.approx(sum(s.cost_estimate for s in summaries))
    assert metrics[f"{OPENAI_MODEL}/tasks_scored"] == SAMPLE
    pair = f"agreement/{OPENAI_MODEL} vs {ANTHROPIC_MODEL}"
    for name in ("spearman", "pearson", "cohen_kappa", "mean_abs_diff", "n_tasks"):
        assert f"{pair}/{name}" in metrics
    assert metrics[f"{pair}/n_tasks"] == SAMPLE
    scores = [
        float(s)
        for (s,) in conn.execute("SELECT score FROM core.task_ai_score WHERE model = %s", [OPENAI_MODEL])
    ]
    assert metrics[f"{OPENAI_MODEL}/score_mean"] == pytest.approx(sum(scores) / SAMPLE)
    assert sum(
        metrics[f"{OPENAI_MODEL}/score_share_bin_{b}"] for b in ("0.00", "0.25", "0.50", "0.75", "1.00")
    ) == pytest.approx(1)
    artifacts = {a.path for a in MlflowClient(tracking_uri()).list_artifacts(mlflow_run_id)}
    assert artifacts == {"prompt", "model_runs.json"}
    assert [a.path for a in MlflowClient(tracking_uri()).list_artifacts(mlflow_run_id, "prompt")] == [
        "prompt/task_exposure_v1.toml"
    ]

    # The keys were sent to the API (the fake server saw them) but are stored nowhere.
    assert any(r.headers.get("authorization") == f"Bearer {OPENAI_TEST_KEY}" for r in fake_api.requests)
    settings = get_settings()
    for key in (OPENAI_TEST_KEY, ANTHROPIC_TEST_KEY):
        assert _tables_containing(db.database_url(settings), key) == []
        assert _tables_containing(db.mlflow_database_url(settings), key) == []
        artifact_files = [p for p in Path(settings.home / "mlflow-artifacts").rglob("*") if p.is_file()]
        assert artifact_files and not any(key in p.read_text(errors="replace") for p in artifact_files)
