"""The coder as a Dagster asset: one model per data_version, trained from that release's raw tables."""

import dagster as dg

from occurisk_assets.coder.training import train_coder
from occurisk_assets.defs.coder.korean_terms import KOREAN_TERMS_KEY
from occurisk_assets.lib.names import raw_asset_key
from occurisk_assets.partitions import data_version_partitions
from occurisk_assets.resources import MlflowTracking, PlatformDatabase

OCCUPATION_CODER_KEY = dg.AssetKey(["coder", "occupation_coder"])
SOURCE_TABLES = ("occupation_data", "task_statements", "alternate_titles", "sample_of_reported_titles")


@dg.asset(
    key=OCCUPATION_CODER_KEY,
    partitions_def=data_version_partitions,
    deps=[*(raw_asset_key(t) for t in SOURCE_TABLES), KOREAN_TERMS_KEY],
    group_name="coder",
    kinds={"scikitlearn", "mlflow"},
    description="Free text → SOC code (TF-IDF word + char n-grams, sparse multinomial naive Bayes, blended with "
    "the multilingual sentence encoder's similarity to each occupation's titles and Korean words, calibrated on "
    "held-out titles), trained on the release's titles, alternate and reported titles, tasks, descriptions and "
    "the project's Korean terms; top-1/top-3, ECE and a reliability table on held-out titles logged to MLflow; registered, and promoted to the `production` alias only when it beats the "
    "current production model on the same held-out titles.",
)
def occupation_coder(
    context: dg.AssetExecutionContext, database: PlatformDatabase, mlflow: MlflowTracking
) -> dg.MaterializeResult:
    with database.connect() as conn:
        result = train_coder(conn, context.partition_key, mlflow.store())
    context.log.info(
        f"{result.name} version {result.version}{' (same corpus: reused)' if result.reused else ''}: "
        f"held-out top-1 {result.top1:.4f}, top-3 {result.top3:.4f} over {result.n_held_out} titles; "
        f"{'promoted' if result.promoted else 'not promoted'}: {result.reason}"
    )
    return dg.MaterializeResult(
        metadata={
            "registered_model": result.name,
            "model_version": result.version,
            "mlflow_run_id": result.run_id,
            "heldout_top1": result.top1,
            "heldout_top3": result.top3,
            "heldout_titles": result.n_held_out,
            "heldout_ece": result.ece,
            "promoted": result.promoted,
            "production_version": result.production_version,
            "decision": result.reason,
        }
    )
