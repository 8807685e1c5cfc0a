"""AEI assets: each release loaded (partitioned by AEI release), and its task texts matched to the O*NET
task ids of each data_version (partitioned by AEI release × data_version)."""

from dagster import (
    AssetExecutionContext,
    AssetKey,
    DynamicPartitionsDefinition,
    MaterializeResult,
    MetadataValue,
    MultiPartitionsDefinition,
    asset,
)

from occurisk_assets.aei.files import ATTRIBUTION, find_releases
from occurisk_assets.aei.loader import load_release
from occurisk_assets.aei.matching import SIMILARITY_THRESHOLD, match_release
from occurisk_assets.aei.validation import validate
from occurisk_assets.defs.aei.checks import match_rate_check, release_rows_check
from occurisk_assets.lib.settings import get_settings
from occurisk_assets.partitions import data_version_partitions
from occurisk_assets.resources import MlflowTracking, PlatformDatabase

GROUP = "aei"
# One partition per AEI release, keyed like "2025_03_27" or "labor_market_impacts"; added by the AEI sensor.
aei_release_partitions = DynamicPartitionsDefinition(name="aei_release")
release_by_version = MultiPartitionsDefinition(
    {"aei_release": aei_release_partitions, "data_version": data_version_partitions}
)


class AeiReleaseNotFound(Exception):
    """No folder holds the AEI release a partition names."""


@asset(
    key_prefix="aei",
    group_name=GROUP,
    partitions_def=aei_release_partitions,
    kinds={"postgres"},
    check_specs=[release_rows_check.spec],
    description="Every file of one Anthropic Economic Index release, checked and loaded in one transaction "
    "(aei.* tables; provenance in aei.release and aei.release_file). A bad file is refused naming the file "
    "and line; the release as last loaded stays.",
)
def release(context: AssetExecutionContext, database: PlatformDatabase):
    key = context.partition_key
    found = find_releases(*get_settings().aei_release_roots)
    if key not in found:
        raise AeiReleaseNotFound(
            f"AEI release {key}: no folder for it under {get_settings().aei_release_roots}"
        )
    report = load_release(found[key], run_id=context.run.run_id, url=database.url)
    context.log.info(f"AEI {key} from {report.source}: {len(report.files)} files in {report.seconds:.2f}s")
    table = ["| file | table | rows | bytes | sha256 |", "|---|---|---|---|---|"]
    table += [f"| {f.file_name} | {f.table} | {f.rows} | {f.bytes} | {f.sha256[:12]} |" for f in report.files]
    yield MaterializeResult(
        metadata={
            "source": report.source,
            "attribution": ATTRIBUTION,
            "files": MetadataValue.md("\n".join(table)),
            "rows": sum(f.rows for f in report.files),
            "load_seconds": round(report.seconds, 3),
        }
    )
    with database.connect() as conn:
        yield release_rows_check.evaluate(conn, key, report)


@asset(
    key_prefix="aei",
    group_name=GROUP,
    partitions_def=release_by_version,
    kinds={"postgres"},
    deps=[release, AssetKey(["onet_raw", "task_statements"])],
    check_specs=[match_rate_check.spec],
    description="The task texts of one AEI release → O*NET task ids of one data_version (aei.task_match): "
    f"exact, normalised, an older O*NET wording, then TF-IDF similarity ≥ {SIMILARITY_THRESHOLD}; every "
    "text left unmatched is listed.",
)
def task_match(context: AssetExecutionContext, database: PlatformDatabase):
    keys = context.partition_key.keys_by_dimension
    with database.connect() as conn:
        report = match_release(conn, keys["aei_release"], keys["data_version"])
    for file_name, counts in report.files.items():
        context.log.info(f"{file_name}: {counts} (matched {report.matched_share(file_name):.1%})")
    yield MaterializeResult(
        metadata={
            "texts": report.texts,
            "rows_by_method": MetadataValue.json(report.files),
            "unmatched": MetadataValue.json(report.unmatched),
            "similarity_threshold": SIMILARITY_THRESHOLD,
        }
    )
    yield match_rate_check.evaluate(report)


VALIDATION_EXPERIMENT = "aei_validation"


def log_validation(mlflow: MlflowTracking, report) -> str:
    """One MLflow run per report (experiment aei_validation); its id."""
    from mlflow.entities import Metric, Param

    store = mlflow.store()
    client = store.client()
    run = client.create_run(
        store.experiment_id(client, VALIDATION_EXPERIMENT),
        run_name=f"observed use {report.aei_release} vs modelled {report.data_version}",
    )
    params = {
        "aei_release": report.aei_release,
        "data_version": report.data_version,
        "verdict": report.verdict,
    }
    client.log_batch(
        run.info.run_id,
        metrics=[Metric(k, float(v), 0, 0) for k, v in report.metrics().items()],
        params=[Param(k, str(v)[:500]) for k, v in params.items()],
    )
    client.set_terminated(run.info.run_id, "FINISHED")
    return run.info.run_id


@asset(
    key_prefix="aei",
    group_name=GROUP,
    partitions_def=release_by_version,
    deps=[task_match],
    description="Modelled exposure (occurisk's occupation score) vs observed use (the release's observed "
    "exposure): Spearman overall and by major group, the share with high modelled and zero observed use, and "
    "Massenkoff & McCrory's coverage ↔ projected growth relation re-estimated with its 95% interval; logged "
    "to MLflow (experiment aei_validation). See docs/methodology.md.",
)
def validation_report(context: AssetExecutionContext, database: PlatformDatabase, mlflow: MlflowTracking):
    keys = context.partition_key.keys_by_dimension
    with database.connect() as conn:
        report = validate(conn, keys["aei_release"], keys["data_version"])
    if report is None:
        context.log.info(
            "this release publishes no observed exposure of a scored occupation: nothing to compare"
        )
        return MaterializeResult(metadata={"compared": False})
    context.log.info(
        f"Spearman {report.spearman:.3f} over {report.n_occupations} occupations; {report.verdict}"
    )
    return MaterializeResult(
        metadata={
            "compared": True,
            **{k: float(v) for k, v in report.metrics().items() if "/" not in k},
            "spearman_by_major_group": MetadataValue.json(report.spearman_by_major_group),
            "verdict": report.verdict,
            "mlflow_run_id": log_validation(mlflow, report),
        }
    )


assets = [release, task_match, validation_report]
