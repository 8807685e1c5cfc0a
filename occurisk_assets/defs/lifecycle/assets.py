"""The end of the data_version graph: the version diff report, then gated activation.

Both are partitioned by data_version and depend on the occupation scores, so every run of
`data_version_pipeline` (`occurisk pipeline`, the release sensor, a backfill) ends by comparing the new
version with its baseline and switching the active version only when the blocking checks pass.
"""

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    MaterializeResult,
    MetadataValue,
    asset,
)
from dagster_dbt import get_asset_key_for_model

from occurisk_assets.defs.dbt.assets import onet_dbt_models, score_dbt_models
from occurisk_assets.defs.lifecycle.activation import PIPELINE, decide
from occurisk_assets.defs.lifecycle.diff import VersionDiff, finish_version, stored_diff
from occurisk_assets.defs.lifecycle.gates import GATE_NAMES
from occurisk_assets.defs.lifecycle.sensors import LANDING_ASSET_KEY
from occurisk_assets.defs.onet.checks import raw_asset_key
from occurisk_assets.partitions import data_version_partitions
from occurisk_assets.resources import PlatformDatabase
from occurisk_assets.settings import get_settings

LIFECYCLE_GROUP = "lifecycle"
OCCUPATION_AI_SCORE = get_asset_key_for_model([score_dbt_models], "occupation_ai_score")
TASK_AI_ENSEMBLE = get_asset_key_for_model([score_dbt_models], "task_ai_ensemble")
OCCUPATION_TASK_WEIGHT = get_asset_key_for_model([onet_dbt_models], "occupation_task_weight")
VERSION_DIFF_KEY = AssetKey(["version_diff"])
VERSION_ACTIVATION_KEY = AssetKey(["version_activation"])

onet_landing = AssetSpec(
    LANDING_ASSET_KEY,
    group_name=LIFECYCLE_GROUP,
    kinds={"file"},
    description="The landing folder (OCCURISK_ONET_LANDING) where new O*NET releases are dropped; the release "
    "sensor records what it registered or rejected as observations of this asset.",
)


@asset(
    key=VERSION_DIFF_KEY,
    group_name=LIFECYCLE_GROUP,
    partitions_def=data_version_partitions,
    deps=[
        raw_asset_key("task_statements"),
        raw_asset_key("occupation_data"),
        TASK_AI_ENSEMBLE,
        OCCUPATION_AI_SCORE,
    ],
    kinds={"postgres"},
    description="What changed from the baseline version (the nearest older complete one): row counts, tasks "
    "and occupations added/removed/reworded, score distribution shift (KS, JS), rank movers, provider calls. "
    "Stored in core.version_diff. The version's last product: once written the version is complete (served); "
    "the next newer version's report is rebuilt when this older one arrived after it.",
)
def version_diff(context: AssetExecutionContext, database: PlatformDatabase) -> MaterializeResult:
    version = context.partition_key
    with database.connect() as conn:
        written = finish_version(conn, version, context.run.run_id)
        stored = stored_diff(conn, version)
    diff, markdown = VersionDiff.model_validate(stored), stored["markdown"]
    baseline = diff.baseline_version
    if len(written) > 1:
        context.log.info(
            f"O*NET {written[1]} was loaded before {version}: its report now compares with {version}"
        )
    context.log.info(
        f"O*NET {baseline or '(none)'} → {version}: {len(diff.tasks_added)} tasks added, "
        f"{len(diff.tasks_removed)} removed, {len(diff.tasks_reworded)} reworded, "
        f"{len(diff.tasks_redated)} re-dated"
    )
    shift = diff.task_scores
    return MaterializeResult(
        metadata={
            "baseline_version": baseline or "none",
            "tasks_added": len(diff.tasks_added),
            "tasks_removed": len(diff.tasks_removed),
            "tasks_reworded": len(diff.tasks_reworded),
            "tasks_redated": len(diff.tasks_redated),
            "occupations_added": len(diff.occupations_added),
            "occupations_removed": len(diff.occupations_removed),
            "task_score_ks": shift.ks_statistic if shift else "n/a",
            "task_score_js_divergence": shift.js_divergence if shift else "n/a",
            "provider_calls": diff.total_provider_calls if diff.total_provider_calls is not None else "n/a",
            "report": MetadataValue.md(markdown),
        }
    )


@asset(
    key=VERSION_ACTIVATION_KEY,
    group_name=LIFECYCLE_GROUP,
    partitions_def=data_version_partitions,
    deps=[version_diff, OCCUPATION_AI_SCORE, OCCUPATION_TASK_WEIGHT],
    check_specs=[AssetCheckSpec(name, asset=VERSION_ACTIVATION_KEY) for name in GATE_NAMES],
    kinds={"postgres"},
    description="Makes this version the active one (what the API serves) when every blocking check passes "
    "and it is newer than the active one; otherwise the active version stays and the reason is "
    "recorded (core.activation_log, `occurisk versions list`).",
)
def version_activation(context: AssetExecutionContext, database: PlatformDatabase) -> MaterializeResult:
    version = context.partition_key
    with database.connect() as conn:
        decision = decide(
            conn,
            version,
            min_coverage=get_settings().activation_min_coverage,
            trigger=PIPELINE,
            dagster_run_id=context.run.run_id,
        )
    log = context.log.info if decision.outcome != "blocked" else context.log.warning
    log(f"O*NET {version}: {decision.outcome} — {decision.reason}; active: {decision.active_after or 'none'}")
    gates_md = "\n".join(
        ["| check | passed | detail |", "|---|---|---|"]
        + [f"| {g.name} | {'yes' if g.passed else '**no**'} | {g.detail} |" for g in decision.gates]
    )
    return MaterializeResult(
        metadata={
            "outcome": decision.outcome,
            "active_before": decision.active_before or "none",
            "active_after": decision.active_after or "none",
            "reason": decision.reason,
            "gates": MetadataValue.md(gates_md),
        },
        check_results=[
            AssetCheckResult(
                check_name=g.name,
                passed=g.passed,
                severity=AssetCheckSeverity.ERROR,
                metadata={
                    "detail": g.detail,
                    **{k: v for k, v in g.facts.items() if not isinstance(v, list)},
                },
            )
            for g in decision.gates
        ],
    )
