"""The Dagster asset that scores one data_version's task catalog."""

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from occurisk_assets.defs.dbt.assets import onet_dbt_models
from occurisk_assets.partitions import data_version_partitions
from occurisk_assets.resources import LLMProviders, MlflowTracking, PlatformDatabase
from occurisk_assets.scoring.online import ProgressEvent
from occurisk_assets.scoring.runs import ScoringEnvironment, ScoringRequest, run_scoring

TASK_AI_SCORE_KEY = dg.AssetKey(["core", "task_ai_score"])
SCORING_OP = TASK_AI_SCORE_KEY.to_python_identifier()  # its step in a run, where its config goes
TASK_CATALOG_KEY = get_asset_key_for_model([onet_dbt_models], "task_catalog")
# Paid calls go through one pool: set its limit in dagster.yaml (concurrency: pools) to bound API load.
SCORING_POOL = "llm_scoring"


class TaskScoringConfig(dg.Config):
    models: list[str] = []  # empty: the LLMs whose API key is set, else the published raters
    top_n: int | None = None
    sample: int | None = None
    budget_usd: float | None = None
    batch: bool = False
    seed: int = 0  # of `sample`
    new_run: bool = False  # start new runs even if identical ones exist (the call cache still applies)


def progress_logger(log):
    """Logs each model's settled tasks every 25, and every call that did not score."""
    settled: dict[str, int] = {}

    def report(event: ProgressEvent) -> None:
        settled[event.model] = settled.get(event.model, 0) + event.tasks
        if event.outcome != "scored" or settled[event.model] % 25 == 0 or event.pending == 0:
            log.info(
                f"{event.model}: {settled[event.model]} tasks settled, {event.pending} pending"
                f" (last call: {event.outcome})"
            )

    return report


@dg.asset(
    key=TASK_AI_SCORE_KEY,
    partitions_def=data_version_partitions,
    deps=[TASK_CATALOG_KEY],
    pool=SCORING_POOL,
    group_name="scoring",
    kinds={"postgres", "python"},
    description="Task scores of each model (LLMs or published raters), one core.model_run per model; "
    "calls are cached in core.llm_call and never paid twice.",
)
def task_ai_score(
    context: dg.AssetExecutionContext,
    config: TaskScoringConfig,
    database: PlatformDatabase,
    llm: LLMProviders,
    mlflow: MlflowTracking,
) -> dg.MaterializeResult:
    with database.connect() as conn:
        summaries = run_scoring(
            conn,
            ScoringRequest(
                context.partition_key,
                models=config.models or None,
                top_n=config.top_n,
                sample=config.sample,
                budget_usd=config.budget_usd,
                batch=config.batch,
                seed=config.seed,
                new_run=config.new_run,
            ),
            ScoringEnvironment(
                progress=progress_logger(context.log), settings=llm.settings(), mlflow_store=mlflow.store()
            ),
        )
    for s in summaries:
        context.log.info(
            f"{s.model}: run {s.run_id} {s.status}{' (reused)' if s.reused else ''}: {s.n_scored} scored, "
            f"{s.n_unscored} unscored, {s.n_calls} calls, {s.n_cache_hits} cache hits, ${s.cost_estimate:.4f}"
        )
    return dg.MaterializeResult(
        metadata={
            "runs": dg.MetadataValue.json([vars(s) for s in summaries]),
            "tasks_scored": sum(s.n_scored for s in summaries),
            "tasks_unscored": sum(s.n_unscored for s in summaries),
            "calls_made": sum(s.n_calls for s in summaries),
            "estimated_cost_usd": float(sum(s.cost_estimate for s in summaries)),
            "statuses": ", ".join(f"{s.model}={s.status}" for s in summaries),
        }
    )
