"""Every scoring invocation is an MLflow run in the `mlflow` database of our PostgreSQL server.

Logged: params (models, versions, data_version, selection), metrics (calls, cache hits, failures, cost,
score distribution per model, pairwise agreement), artifacts (the prompt, each model_run row). Never a key:
nothing here reads the API keys, and the params come from the public model config.
"""

from __future__ import annotations

import itertools
import json
import logging
import tempfile
import time
from pathlib import Path

import numpy as np
import psycopg

from occurisk_assets.lib.mlflow_store import MlflowStore
from occurisk_assets.lib.settings import get_settings
from occurisk_assets.scoring.agreement import agreement, distribution
from occurisk_assets.scoring.config import ScoringConfig
from occurisk_assets.scoring.prompt import load_prompt
from occurisk_assets.scoring.recording import RunState

log = logging.getLogger(__name__)

EXPERIMENT_NAME = "occurisk-scoring"


def _scores_by_run(conn: psycopg.Connection, run_ids: list[int]) -> dict[int, dict[int, float]]:
    scores: dict[int, dict[int, float]] = {run_id: {} for run_id in run_ids}
    for run_id, task_id, score in conn.execute(
        "SELECT run_id, task_id, score FROM core.task_ai_score WHERE run_id = ANY(%s)", [run_ids]
    ):
        scores[run_id][task_id] = float(score)
    return scores


def scoring_metrics(conn: psycopg.Connection, runs: list[RunState]) -> dict[str, float]:
    """The metrics of one invocation, from what the tables now hold."""
    rows = {
        r[0]: r[1:]
        for r in conn.execute(
            "SELECT run_id, n_calls, n_cache_hits, n_failures, n_scored, n_unscored, cost_estimate "
            "FROM core.model_run WHERE run_id = ANY(%s)",
            [[run.run_id for run in runs]],
        )
    }
    scores = _scores_by_run(conn, [run.run_id for run in runs])
    metrics: dict[str, float] = {}
    for run in runs:
        n_calls, n_cache_hits, n_failures, n_scored, n_unscored, cost = rows[run.run_id]
        m = run.model.name
        metrics.update(
            {
                f"{m}/calls_made": n_calls,
                f"{m}/cache_hits": n_cache_hits,
                f"{m}/failures": n_failures,
                f"{m}/tasks_scored": n_scored,
                f"{m}/tasks_unscored": n_unscored,
                f"{m}/estimated_cost_usd": float(cost),
            }
        )
        metrics.update(
            {f"{m}/{k}": v for k, v in distribution(np.array(list(scores[run.run_id].values()))).items()}
        )
    for key in ("calls_made", "cache_hits", "failures", "estimated_cost_usd"):
        metrics[key] = sum(metrics[f"{run.model.name}/{key}"] for run in runs)
    for a, b in itertools.combinations(runs, 2):
        common = sorted(scores[a.run_id].keys() & scores[b.run_id].keys())
        pair = agreement(
            np.array([scores[a.run_id][t] for t in common]), np.array([scores[b.run_id][t] for t in common])
        )
        prefix = f"agreement/{a.model.name} vs {b.model.name}"
        metrics.update({f"{prefix}/{k}": v for k, v in pair.metrics().items()})
    return metrics


def log_scoring_run(
    conn: psycopg.Connection,
    runs: list[RunState],
    *,
    config: ScoringConfig,
    data_version: str,
    top_n: int | None,
    sample: int | None,
    budget_usd: float | None,
    batch: bool,
    store: MlflowStore | None = None,
) -> str | None:
    """Log one MLflow run for the invocation; return its id (None, with a warning, if MLflow failed:
    the scores are already committed and tracking must not lose them)."""
    try:
        from mlflow.entities import Metric, Param, RunTag

        store = store or MlflowStore.from_settings()
        client = store.client()
        experiment_id = store.experiment_id(client, EXPERIMENT_NAME)
        models = [run.model.name for run in runs]
        mlflow_run = client.create_run(
            experiment_id,
            run_name=f"score {data_version}: {', '.join(models)}",
            tags={
                "occurisk.data_version": data_version,
                "occurisk.run_ids": ",".join(str(r.run_id) for r in runs),
            },
        )
        run_id = mlflow_run.info.run_id
        params = {
            "models": ",".join(models),
            "data_version": data_version,
            "prompt_version": ",".join(sorted({r.prompt_version for r in runs})),
            "top_n": top_n if top_n is not None else "all",
            "sample": sample if sample is not None else "none",
            "budget_usd": budget_usd if budget_usd is not None else "none",
            "mode": "batch" if batch else "online",
            **{f"{r.model.name}/model_version": r.model_version for r in runs},
            **{f"{r.model.name}/run_id": r.run_id for r in runs},
        }
        now = int(time.time() * 1000)
        client.log_batch(
            run_id,
            metrics=[Metric(k, float(v), now, 0) for k, v in scoring_metrics(conn, runs).items()],
            params=[Param(k, str(v)) for k, v in params.items()],
            tags=[RunTag("occurisk.statuses", ",".join(_statuses(conn, runs)))],
        )
        with tempfile.TemporaryDirectory() as tmp:
            for prompt_version in sorted({r.prompt_version for r in runs if r.model.is_llm}):
                client.log_artifact(run_id, str(load_prompt(prompt_version).path), artifact_path="prompt")
            runs_file = Path(tmp) / "model_runs.json"
            runs_file.write_text(json.dumps(_run_rows(conn, runs), indent=2, default=str))
            client.log_artifact(run_id, str(runs_file))
        client.set_terminated(run_id, "FINISHED")
        return run_id
    except Exception:
        # The tracking URI is not logged: it may carry the database password.
        log.warning(
            "could not log the scoring run to MLflow (database %r)",
            get_settings().mlflow_database,
            exc_info=True,
        )
        return None


def _statuses(conn: psycopg.Connection, runs: list[RunState]) -> list[str]:
    rows = dict(
        conn.execute(
            "SELECT run_id, status FROM core.model_run WHERE run_id = ANY(%s)", [[r.run_id for r in runs]]
        ).fetchall()
    )
    return [f"{r.model.name}={rows[r.run_id]}" for r in runs]


def _run_rows(conn: psycopg.Connection, runs: list[RunState]) -> list[dict]:
    cur = conn.execute(
        "SELECT * FROM core.model_run WHERE run_id = ANY(%s) ORDER BY run_id", [[r.run_id for r in runs]]
    )
    names = [d.name for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
