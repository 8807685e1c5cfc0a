"""BLS assets: one per `bls` table. Not partitioned: each holds every known release (releases.py), and
the data_version job builds them first, loading only the releases missing from the table, so a run
launched from the UI, the sensor or a backfill on a new instance has its BLS data. The dbt models over them
(tag:bls: staging and marts.soc_bls_metrics) are built after the link of each data_version."""

from collections.abc import Callable

from dagster import (
    AssetExecutionContext,
    AssetsDefinition,
    Config,
    MaterializeResult,
    MetadataValue,
    asset,
)
from dagster_dbt import get_asset_key_for_model

from occurisk_assets.bls.link import LinkReport, build_soc_bls_link
from occurisk_assets.bls.loader import (
    LoadReport,
    load_nem_coverage,
    load_nem_onet_crosswalk,
    load_oews,
    load_projections,
    load_soc_2010_2018,
)
from occurisk_assets.bls.releases import OEWS_RELEASES, PROJECTION_PERIODS
from occurisk_assets.defs.dbt.assets import BLS_SELECTION, onet_dbt_models, partitioned_dbt_assets
from occurisk_assets.partitions import data_version_partitions
from occurisk_assets.resources import PlatformDatabase

GROUP = "bls"


class BlsReleasesConfig(Config):
    releases: list[str] = []  # empty: every known release of the table (releases.py)
    reload: bool = False  # also reload the releases already in the table (`occurisk bls-load`)


def load_metadata(context: AssetExecutionContext, report: LoadReport) -> dict:
    context.log.info(
        f"bls.{report.table} [{report.partition or 'all'}]: {report.rows} rows from "
        f"{report.source} in {report.seconds:.2f}s"
    )
    metadata = {"rows": report.rows, "source": str(report.source), "load_seconds": round(report.seconds, 3)}
    return {**metadata, **report.details}


def load_missing(
    context: AssetExecutionContext,
    database: PlatformDatabase,
    config: BlsReleasesConfig,
    table: str,
    column: str,
    known: list[str],
    load: Callable[..., LoadReport],
) -> MaterializeResult:
    """Load the configured releases of `bls.<table>` that are not in it yet (all of them with `reload`).
    Two runs loading the same release at once (a backfill's) take turns on the loader's lock."""
    with database.connect() as conn:
        present = {row[0] for row in conn.execute(f"SELECT DISTINCT {column} FROM bls.{table}")}
    wanted = config.releases or known
    loaded = {
        key: load_metadata(context, load(key, url=database.url))
        for key in wanted
        if config.reload or key not in present
    }
    skipped = sorted(set(wanted) - set(loaded))
    if skipped:
        context.log.info(f"bls.{table}: already loaded, kept: {', '.join(skipped)}")
    return MaterializeResult(
        metadata={
            "loaded": MetadataValue.json(loaded),
            "already_loaded": MetadataValue.json(skipped),
            "rows": sum(m["rows"] for m in loaded.values()),
        }
    )


def release_table_asset(
    table: str, column: str, known: list[str], load: Callable[..., LoadReport], description: str
) -> AssetsDefinition:
    """The asset of `bls.<table>`, whose `column` names the release of each row."""

    @asset(name=table, key_prefix="bls", group_name=GROUP, kinds={"postgres"}, description=description)
    def load_releases(
        context: AssetExecutionContext, database: PlatformDatabase, config: BlsReleasesConfig
    ) -> MaterializeResult:
        return load_missing(context, database, config, table, column, known, load)

    return load_releases


bls_oews_metrics = release_table_asset(
    "bls_oews_metrics",
    "ref_year_month",
    OEWS_RELEASES,
    load_oews,
    "OEWS national cross-industry estimates of each May release: employment and wages per SOC code; "
    "'*'/'#' cells are NULL with a 'suppressed'/'top_coded' flag.",
)
bls_proj_metrics = release_table_asset(
    "bls_proj_metrics",
    "projection_period",
    PROJECTION_PERIODS,
    load_projections,
    "Employment Projections (occupation.xlsx Table 1.2): employment in persons, growth, annual openings, "
    "median wage and entry requirements per NEM occupation, per projection period.",
)
nem_onet_crosswalk = release_table_asset(
    "nem_onet_crosswalk",
    "projection_period",
    PROJECTION_PERIODS,
    load_nem_onet_crosswalk,
    "BLS O*NET-SOC → National Employment Matrix code crosswalk of each projection period.",
)
nem_occupational_coverage = release_table_asset(
    "nem_occupational_coverage",
    "projection_period",
    PROJECTION_PERIODS,
    load_nem_coverage,
    "Every National Employment Matrix code of each projection period, its type and level.",
)
# One edition, no release key: the constant column stands for it.
soc_2010_2018_crosswalk = release_table_asset(
    "soc_2010_2018_crosswalk",
    "'2018'",
    ["2018"],
    lambda _, url: load_soc_2010_2018(url=url),
    "SOC 2010 → SOC 2018 crosswalk (many-to-many), for codes of older taxonomies.",
)


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


@asset(
    key_prefix="bls",
    group_name=GROUP,
    partitions_def=data_version_partitions,
    kinds={"postgres"},
    deps=[
        # Whichever releases are loaded (the latest by default).
        bls_oews_metrics,
        bls_proj_metrics,
        nem_onet_crosswalk,
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


bls_dbt_models = partitioned_dbt_assets("bls_dbt_models", select=BLS_SELECTION)


# The unpartitioned tables of every release (the `bls_releases` job).
release_assets = [
    bls_oews_metrics,
    bls_proj_metrics,
    nem_onet_crosswalk,
    nem_occupational_coverage,
    soc_2010_2018_crosswalk,
]
assets = [*release_assets, soc_bls_link, bls_dbt_models]
