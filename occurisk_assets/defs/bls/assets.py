"""BLS assets: one per `bls` table, each partitioned by the release it comes from."""

from dagster import (
    AllPartitionMapping,
    AssetDep,
    AssetExecutionContext,
    MaterializeResult,
    MetadataValue,
    asset,
)
from dagster_dbt import get_asset_key_for_model

from occurisk_assets.defs.bls.link import LinkReport, build_soc_bls_link
from occurisk_assets.defs.bls.loader import (
    LoadReport,
    load_nem_coverage,
    load_nem_onet_crosswalk,
    load_oews,
    load_projections,
    load_soc_2010_2018,
)
from occurisk_assets.defs.bls.partitions import oews_release_partitions, projection_period_partitions
from occurisk_assets.defs.dbt.assets import onet_dbt_models
from occurisk_assets.partitions import data_version_partitions
from occurisk_assets.resources import PlatformDatabase

GROUP = "bls"


def load_metadata(context: AssetExecutionContext, report: LoadReport) -> dict:
    context.log.info(
        f"bls.{report.table} [{report.partition or 'all'}]: {report.rows} rows from "
        f"{report.source} in {report.seconds:.2f}s"
    )
    metadata = {"rows": report.rows, "source": str(report.source), "load_seconds": round(report.seconds, 3)}
    for key, value in report.details.items():
        metadata[key] = MetadataValue.json(value) if isinstance(value, list) else value
    return metadata


@asset(
    key_prefix="bls",
    group_name=GROUP,
    partitions_def=oews_release_partitions,
    kinds={"postgres"},
    description="OEWS national cross-industry estimates of one May release: employment and wages per "
    "SOC code; '*'/'#' cells are NULL with a 'suppressed'/'top_coded' flag.",
)
def bls_oews_metrics(context: AssetExecutionContext) -> MaterializeResult:
    return MaterializeResult(metadata=load_metadata(context, load_oews(context.partition_key)))


@asset(
    key_prefix="bls",
    group_name=GROUP,
    partitions_def=projection_period_partitions,
    kinds={"postgres"},
    description="Employment Projections (occupation.xlsx Table 1.2): employment in persons, growth, "
    "annual openings, median wage and entry requirements per NEM occupation.",
)
def bls_proj_metrics(context: AssetExecutionContext) -> MaterializeResult:
    return MaterializeResult(metadata=load_metadata(context, load_projections(context.partition_key)))


@asset(
    key_prefix="bls",
    group_name=GROUP,
    partitions_def=projection_period_partitions,
    kinds={"postgres"},
    description="BLS O*NET-SOC → National Employment Matrix code crosswalk of the projection period.",
)
def nem_onet_crosswalk(context: AssetExecutionContext) -> MaterializeResult:
    return MaterializeResult(metadata=load_metadata(context, load_nem_onet_crosswalk(context.partition_key)))


@asset(
    key_prefix="bls",
    group_name=GROUP,
    partitions_def=projection_period_partitions,
    kinds={"postgres"},
    description="Every National Employment Matrix code of the projection period, its type and level.",
)
def nem_occupational_coverage(context: AssetExecutionContext) -> MaterializeResult:
    return MaterializeResult(metadata=load_metadata(context, load_nem_coverage(context.partition_key)))


@asset(
    key_prefix="bls",
    group_name=GROUP,
    kinds={"postgres"},
    description="SOC 2010 → SOC 2018 crosswalk (many-to-many), for codes of older taxonomies.",
)
def soc_2010_2018_crosswalk(context: AssetExecutionContext) -> MaterializeResult:
    return MaterializeResult(metadata=load_metadata(context, load_soc_2010_2018()))


def link_metadata(report: LinkReport) -> dict:
    metadata: dict = {
        "onet_soc_codes": report.onet_soc_codes,
        "ref_year_month": report.ref_year_month,
        "projection_period": report.projection_period,
    }
    for source, side in (("oews", report.oews), ("proj", report.proj)):
        for match_type, count in side.counts.items():
            metadata[f"{source}_{match_type}"] = count
        metadata[f"{source}_onet_unmatched"] = MetadataValue.json(side.onet_unmatched)
        metadata[f"{source}_bls_unmatched"] = MetadataValue.json(side.bls_unmatched)
    return metadata


# The link reads whichever releases are loaded (the latest by default), not a partition of the same key.
ALL_RELEASES = AllPartitionMapping()


@asset(
    key_prefix="bls",
    group_name=GROUP,
    partitions_def=data_version_partitions,
    kinds={"postgres"},
    deps=[
        AssetDep(bls_oews_metrics, partition_mapping=ALL_RELEASES),
        AssetDep(bls_proj_metrics, partition_mapping=ALL_RELEASES),
        AssetDep(nem_onet_crosswalk, partition_mapping=ALL_RELEASES),
        soc_2010_2018_crosswalk,
        # The dbt mart, same data_version partition.
        get_asset_key_for_model([onet_dbt_models], "occupation_master"),
    ],
    description="Each O*NET SOC code of the data_version (from marts.occupation_master) → its OEWS row "
    "(latest loaded release) and its projections row, with the match type "
    "(exact / crosswalk / aggregate / soc_2010 / none).",
)
def soc_bls_link(context: AssetExecutionContext, database: PlatformDatabase) -> MaterializeResult:
    with database.connect() as conn:
        report = build_soc_bls_link(conn, context.partition_key)
    for source, side in (("OEWS", report.oews), ("projections", report.proj)):
        context.log.info(
            f"{source}: {side.counts}; O*NET codes without a match: {len(side.onet_unmatched)}; "
            f"BLS codes no O*NET code reaches: {len(side.bls_unmatched)}"
        )
    return MaterializeResult(metadata=link_metadata(report))


assets = [
    bls_oews_metrics,
    bls_proj_metrics,
    nem_onet_crosswalk,
    nem_occupational_coverage,
    soc_2010_2018_crosswalk,
    soc_bls_link,
]
