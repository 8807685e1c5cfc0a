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
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)
from dagster_dbt import get_asset_key_for_model

from occurisk_assets.defs.dbt.assets import onet_dbt_models, score_dbt_models
from occurisk_assets.defs.lifecycle.sensors import LANDING_ASSET_KEY
from occurisk_assets.lib.names import raw_asset_key
from occurisk_assets.lib.settings import get_settings
from occurisk_assets.lifecycle.activation import PIPELINE, decide
from occurisk_assets.lifecycle.diff import VersionDiff, finish_version, stored_diff, write_diff
from occurisk_assets.lifecycle.gates import GATE_NAMES, GateResult, run_gates
from occurisk_assets.lifecycle.rebuild import promote
from occurisk_assets.partitions import data_version_partitions
from occurisk_assets.resources import PlatformDatabase
from occurisk_assets.versions import rebuilt_version

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
        if rebuilt_version(version):
            # A rebuild's report, for this run; the version's own is rewritten when the rebuild is switched in.
            write_diff(conn, version)
            written = [version]
        else:
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
    if rebuilt_version(version):
        return _switch_in_rebuild(context, database, version)
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
    return MaterializeResult(
        metadata={
            "outcome": decision.outcome,
            "active_before": decision.active_before or "none",
            "active_after": decision.active_after or "none",
            "reason": decision.reason,
            "gates": MetadataValue.md(_gates_markdown(decision.gates)),
        },
        check_results=_check_results(decision.gates),
    )


def _gates_markdown(gates: list[GateResult]) -> str:
    return "\n".join(
        ["| check | passed | detail |", "|---|---|---|"]
        + [f"| {g.name} | {'yes' if g.passed else '**no**'} | {g.detail} |" for g in gates]
    )


def _check_results(gates: list[GateResult]) -> list[AssetCheckResult]:
    return [
        AssetCheckResult(
            check_name=g.name,
            passed=g.passed,
            severity=AssetCheckSeverity.ERROR,
            metadata={"detail": g.detail, **{k: v for k, v in g.facts.items() if not isinstance(v, list)}},
        )
        for g in gates
    ]


def _switch_in_rebuild(
    context: AssetExecutionContext, database: PlatformDatabase, key: str
) -> MaterializeResult:
    """The rebuild of a complete version passes the gates, then replaces the served build in one
    transaction; when a gate fails the run fails and the served build stays (lifecycle/rebuild.py)."""
    version = rebuilt_version(key)
    with database.connect() as conn:
        gates = run_gates(conn, key, get_settings().activation_min_coverage)
        failed = [g for g in gates if not g.passed]
        if failed:
            raise Failure(
                f"the rebuild of O*NET {version} failed its checks, O*NET {version} stays served as it was "
                "built before: " + "; ".join(f"{g.name}: {g.detail}" for g in failed),
                metadata={"gates": MetadataValue.md(_gates_markdown(gates))},
            )
        promote(conn, version, context.run.run_id)
    context.log.info(f"O*NET {version}: its rebuild passed every check and is now served")
    return MaterializeResult(
        metadata={"outcome": "rebuilt", "gates": MetadataValue.md(_gates_markdown(gates))},
        check_results=_check_results(gates),
    )
