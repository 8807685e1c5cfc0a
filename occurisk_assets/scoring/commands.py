"""`occurisk score`, `occurisk runs list`, `occurisk mlflow-ui`."""

from __future__ import annotations

import os
import statistics
import sys

import click
import psycopg

from occurisk_assets.lib import db, schema
from occurisk_assets.lib.mlflow_store import artifact_root, tracking_uri
from occurisk_assets.lib.names import DATA_VERSION_JOB
from occurisk_assets.lib.settings import get_settings
from occurisk_assets.runs import launch
from occurisk_assets.scoring.runs import RunSummary

PREVIEW_MAX_TASKS = 50


def _models_option(value: str | None) -> list[str] | None:
    return [m.strip() for m in value.split(",") if m.strip()] if value else None


def _print_summaries(summaries: list[RunSummary]) -> None:
    click.echo(
        f"{'run':>6}  {'model':<32} {'status':<15} {'scored':>7} {'unscored':>8} {'calls':>6} "
        f"{'cached':>6} {'failed':>6} {'cost $':>10}"
    )
    for s in summaries:
        status = s.status + (" (reused)" if s.reused else " (resumed)" if s.resumed else "")
        click.echo(
            f"{s.run_id:>6}  {s.model:<32} {status:<15} {s.n_scored:>7} {s.n_unscored:>8} {s.n_calls:>6} "
            f"{s.n_cache_hits:>6} {s.n_failures:>6} {s.cost_estimate:>10.6f}"
        )


def _print_task_preview(conn: psycopg.Connection, summaries: list[RunSummary]) -> None:
    """For small samples: each task's scores, their mean and standard deviation."""
    rows = conn.execute(
        """
        SELECT s.task_id, c.task_statement, s.model, s.score
        FROM core.task_ai_score s
        JOIN marts.task_catalog c USING (data_version, task_id)
        WHERE s.run_id = ANY(%s) ORDER BY c.priority_rank, s.task_id, s.model
        """,
        [[s.run_id for s in summaries]],
    ).fetchall()
    tasks: dict[int, tuple[str, list[float]]] = {}
    for task_id, statement, _model, score in rows:
        tasks.setdefault(task_id, (statement, []))[1].append(float(score))
    if not tasks or len(tasks) > PREVIEW_MAX_TASKS:
        return
    click.echo(f"\n{'task':>6}  {'mean':>5} {'std':>5} {'n':>2}  statement")
    for task_id, (statement, scores) in tasks.items():
        std = statistics.pstdev(scores)  # population std, as marts.task_ai_ensemble
        click.echo(
            f"{task_id:>6}  {statistics.fmean(scores):>5.2f} {std:>5.2f} {len(scores):>2}  {statement[:90]}"
        )


def _has_weights(conn: psycopg.Connection, data_version: str) -> bool:
    if conn.execute("SELECT to_regclass('marts.occupation_task_weight')").fetchone()[0] is None:
        return False
    sql = "SELECT EXISTS (SELECT 1 FROM marts.occupation_task_weight WHERE data_version = %s)"
    return conn.execute(sql, [data_version]).fetchone()[0]


def _aggregation(conn: psycopg.Connection, data_version: str, weighted: bool) -> str:
    if not weighted:
        return (
            f"not aggregated: marts.occupation_task_weight has no weights for {data_version} "
            f"(build them once with `occurisk pipeline --version {data_version}`)"
        )
    n = conn.execute(
        "SELECT count(*) FROM marts.occupation_ai_score WHERE data_version = %s", [data_version]
    ).fetchone()[0]
    return f"aggregated: marts.task_ai_ensemble and marts.occupation_ai_score ({n} SOC occupations scored)"


def scores_and_aggregates(with_aggregates: bool):
    """The scoring asset, and with it the dbt models from the scores up to marts.occupation_ai_score (the
    serving models, which also need BLS, are the pipeline's)."""
    import dagster as dg
    from dagster_dbt import get_asset_key_for_model

    from occurisk_assets.defs.dbt.assets import score_dbt_models
    from occurisk_assets.defs.scoring.assets import TASK_AI_SCORE_KEY

    scores = dg.AssetSelection.assets(TASK_AI_SCORE_KEY)
    if not with_aggregates:
        return scores
    occupation_ai_score = get_asset_key_for_model([score_dbt_models], "occupation_ai_score")
    return scores | (
        dg.AssetSelection.assets(score_dbt_models) & dg.AssetSelection.assets(occupation_ai_score).upstream()
    )


@click.command("score")
@click.option(
    "--version", "data_version", default=None, help="O*NET data_version (default: the configured one)."
)
@click.option("--sample", type=click.IntRange(min=1), help="Score a deterministic random sample of N tasks.")
@click.option("--top-n", type=click.IntRange(min=1), help="Only the first N tasks by priority_rank.")
@click.option(
    "--models",
    help="Comma-separated, e.g. openai:gpt-4.1-mini,anthropic:claude-haiku-4-5. "
    "Default: the LLMs whose API key is set, else the published raters.",
)
@click.option(
    "--budget", "budget_usd", type=click.FloatRange(min=0), help="Most this command may spend (USD)."
)
@click.option(
    "--batch", is_flag=True, help="Use the OpenAI Batch API / Anthropic Message Batches (half price)."
)
@click.option(
    "--new-run", is_flag=True, help="Start new runs even if identical ones exist (the cache still applies)."
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of --sample.")
@click.option(
    "--aggregate/--no-aggregate",
    default=True,
    show_default=True,
    help="Then rebuild task_ai_ensemble and occupation_ai_score (dbt) for the version.",
)
def score(data_version, sample, top_n, models, budget_usd, batch, new_run, seed, aggregate) -> None:
    """Score tasks of the catalog with LLMs or the published raters (runs are resumable; calls are cached)."""
    from occurisk_assets.defs.scoring.assets import SCORING_OP

    data_version = data_version or get_settings().onet_default_version
    schema.ensure_server()
    with db.connect() as conn:
        weighted = _has_weights(conn, data_version)
    config = {
        "models": _models_option(models) or [],
        "top_n": top_n,
        "sample": sample,
        "seed": seed,
        "budget_usd": budget_usd,
        "batch": batch,
        "new_run": new_run,
    }
    result = launch.check(
        launch.run_job(
            DATA_VERSION_JOB,
            partition_key=data_version,
            assets=scores_and_aggregates(aggregate and weighted),
            run_config={"ops": {SCORING_OP: {"config": config}}},
            tags={"occurisk/trigger": "occurisk score"},
        ),
        f"scoring O*NET {data_version}",
    )
    [scores] = result.asset_materializations_for_node(SCORING_OP)
    summaries = [RunSummary(**run) for run in scores.metadata["runs"].value]
    with db.connect() as conn:
        _print_summaries(summaries)
        _print_task_preview(conn, summaries)
        if aggregate:
            click.echo("\n" + _aggregation(conn, data_version, weighted))
    if any(s.status == "stopped_budget" for s in summaries):
        click.echo("\nThe budget ran out: run the same command with a larger --budget to resume.", err=True)
    if any(s.status == "failed" for s in summaries):
        raise click.ClickException("a run failed (see `occurisk runs list` for its error)")


@click.group("runs")
def runs_group() -> None:
    """Scoring runs (core.model_run)."""


@runs_group.command("list")
@click.option("--version", "data_version", default=None, help="Only this data_version.")
@click.option("--model", default=None, help="Only this model.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
def runs_list(data_version, model, limit) -> None:
    """The latest scoring runs, newest first."""
    schema.ensure_server()
    with db.connect() as conn:
        rows = conn.execute(
            """
            SELECT run_id, created_at, data_version, model, status, n_tasks, n_scored, n_unscored, n_calls,
                   n_cache_hits, n_failures, cost_estimate, coalesce(error, '')
            FROM core.model_run
            WHERE (%(v)s::text IS NULL OR data_version = %(v)s) AND (%(m)s::text IS NULL OR model = %(m)s)
            ORDER BY created_at DESC, run_id DESC LIMIT %(limit)s
            """,
            {"v": data_version, "m": model, "limit": limit},
        ).fetchall()
    click.echo(
        f"{'run':>6}  {'created':<19} {'version':<8} {'model':<32} {'status':<14} {'tasks':>6} {'scored':>6} "
        f"{'unscored':>8} {'calls':>6} {'cached':>6} {'failed':>6} {'cost $':>10}"
    )
    for r in rows:
        click.echo(
            f"{r[0]:>6}  {r[1]:%Y-%m-%d %H:%M:%S} {r[2]:<8} {r[3]:<32} {r[4]:<14} {r[5]:>6} {r[6]:>6} "
            f"{r[7]:>8} {r[8]:>6} {r[9]:>6} {r[10]:>6} {float(r[11]):>10.6f}"
            + (f"  {r[12][:80]}" if r[12] else "")
        )


def mlflow_ui_command(host: str, port: int) -> list[str]:
    """The command that serves the MLflow UI on our tracking store (the installed mlflow package)."""
    return [
        sys.executable,
        "-m",
        "mlflow",
        "server",
        "--backend-store-uri",
        tracking_uri(),
        "--default-artifact-root",
        artifact_root(),
        "--host",
        host,
        "--port",
        str(port),
        "--workers",  # one person's UI: one worker process is plenty on a small machine
        "1",
    ]


@click.command("mlflow-ui")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=5000, show_default=True)
@click.option("--print-only", is_flag=True, help="Print the command instead of running it.")
def mlflow_ui(host: str, port: int, print_only: bool) -> None:
    """Open the MLflow UI on the scoring runs (tracking store: the `mlflow` database)."""
    schema.ensure_server()
    command = mlflow_ui_command(host, port)
    if print_only:
        click.echo(" ".join(command))
        return
    click.echo(f"MLflow UI: http://{host}:{port}", err=True)
    # The server and its UI report usage to MLflow's servers unless told not to.
    os.execvpe(command[0], command, {**os.environ, "MLFLOW_DISABLE_TELEMETRY": "true"})


commands = [score, runs_group, mlflow_ui]
