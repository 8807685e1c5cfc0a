"""Lifecycle jobs: re-scoring the active version (run by the weekly schedule) and retention."""

from dagster import (
    AssetSelection,
    Config,
    OpExecutionContext,
    define_asset_job,
    job,
    op,
)

from occurisk_assets.defs.scoring.assets import TASK_AI_SCORE_KEY
from occurisk_assets.lib.settings import get_settings
from occurisk_assets.lifecycle.retention import apply_retention, describe
from occurisk_assets.resources import PlatformDatabase

# Scoring and everything computed from scores (ensembles, occupation scores, diff report, activation).
rescore_job = define_asset_job(
    "rescore_active_version",
    selection=AssetSelection.assets(TASK_AI_SCORE_KEY).downstream(),
    description="Score the tasks of one data_version whose scores are missing or stale (new model_version or "
    "prompt_version; cached calls are never paid twice), then rebuild what depends on scores.",
)


class RetentionConfig(Config):
    keep_versions: int | None = None  # default: OCCURISK_RETENTION_KEEP_VERSIONS
    keep_runs: int | None = None  # default: OCCURISK_RETENTION_KEEP_RUNS
    dry_run: bool = False


@op(
    description="Archive (gzip CSV to OCCURISK_ARCHIVE_DIR) and delete versions and runs beyond the newest N."
)
def apply_retention_op(
    context: OpExecutionContext, config: RetentionConfig, database: PlatformDatabase
) -> None:
    settings = get_settings()
    with database.connect() as conn:
        result = apply_retention(
            conn,
            config.keep_versions or settings.retention_keep_versions,
            config.keep_runs or settings.retention_keep_runs,
            settings.archive_path,
            dry_run=config.dry_run,
        )
    for line in describe(result):
        context.log.info(line)
    context.add_output_metadata(
        {
            "archived_versions": result.plan.versions,
            "archived_runs": [r.run_id for r in result.plan.runs],
            "archives": [str(p) for p in result.archives],
            "dry_run": config.dry_run,
        }
    )


@job(description="Retention: keep the newest N O*NET versions and scoring runs per model; archive the rest.")
def retention_job():
    apply_retention_op()
