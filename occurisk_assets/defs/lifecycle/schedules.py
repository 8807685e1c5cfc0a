"""The weekly re-scoring schedule: when provider keys are configured, re-score the active version's tasks
whose scores are missing or stale (scored under another model_version or prompt_version)."""

from dataclasses import dataclass

import psycopg
from dagster import (
    DefaultScheduleStatus,
    RunRequest,
    ScheduleEvaluationContext,
    SkipReason,
    schedule,
)

from occurisk_assets.defs.lifecycle.jobs import rescore_job
from occurisk_assets.defs.scoring.assets import SCORING_OP
from occurisk_assets.lib.llm_providers import KEY_ENV, has_api_key
from occurisk_assets.lib.schema import table_exists
from occurisk_assets.lib.settings import Settings, get_settings
from occurisk_assets.resources import LLMProviders, PlatformDatabase
from occurisk_assets.scoring.config import ModelConfig, load_scoring_config
from occurisk_assets.versions import active_version

RESCORE_JOB = rescore_job.name


@dataclass(frozen=True)
class StaleTasks:
    model: str
    model_version: str
    prompt_version: str
    stale: int  # catalog tasks without a score from exactly this model_version and prompt_version
    catalog: int


def stale_tasks(
    conn: psycopg.Connection, data_version: str, models: list[ModelConfig], prompt_version: str
) -> list[StaleTasks]:
    result = []
    for model in models:
        catalog, stale = conn.execute(
            """SELECT count(*), count(*) FILTER (WHERE NOT EXISTS (
                   SELECT 1 FROM core.task_ai_score s WHERE s.data_version = c.data_version AND s.task_id = c.task_id
                     AND s.model = %s AND s.model_version = %s AND s.prompt_version = %s))
               FROM marts.task_catalog c WHERE c.data_version = %s""",
            (model.name, model.model_version, prompt_version, data_version),
        ).fetchone()
        result.append(StaleTasks(model.name, model.model_version, prompt_version, stale, catalog))
    return result


def rescore_request(settings: Settings, database: PlatformDatabase) -> RunRequest | SkipReason:
    config = load_scoring_config()
    models = [config.model(name) for name in config.default_llm_models]
    keyed = [m for m in models if has_api_key(m, settings)]
    if not keyed:
        needed = " / ".join(sorted({KEY_ENV[m.provider] for m in models}))
        return SkipReason(f"no provider API key configured ({needed}): nothing is re-scored")
    with database.connect() as conn:
        version = active_version(conn)
        if version is None:
            return SkipReason("no active data_version to re-score")
        if not table_exists(conn, "marts.task_catalog"):
            return SkipReason(f"O*NET {version} has no task catalog or scores yet: run the pipeline first")
        stale = stale_tasks(conn, version, keyed, config.prompt_version)
    if not any(s.stale for s in stale):
        return SkipReason(
            f"every task of O*NET {version} has current scores from "
            + ", ".join(f"{s.model} ({s.model_version}, {s.prompt_version})" for s in stale)
        )
    run_config = {}
    if settings.rescore_budget_usd is not None:
        run_config = {"ops": {SCORING_OP: {"config": {"budget_usd": settings.rescore_budget_usd}}}}
    return RunRequest(
        partition_key=version,
        run_config=run_config,
        tags={
            "occurisk/trigger": "rescore_schedule",
            "occurisk/stale_tasks": ", ".join(f"{s.model}={s.stale}" for s in stale),
        },
    )


@schedule(
    name="weekly_rescore",
    cron_schedule=get_settings().rescore_cron,
    job=rescore_job,
    default_status=DefaultScheduleStatus.RUNNING,
    description="Weekly: re-score the active version's tasks whose scores are missing or stale, when "
    "OPENAI_API_KEY / ANTHROPIC_API_KEY is set (skips with the reason otherwise).",
)
def weekly_rescore(context: ScheduleEvaluationContext, database: PlatformDatabase, llm: LLMProviders):
    return rescore_request(llm.settings(), database)
