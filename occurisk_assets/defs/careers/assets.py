"""Careers assets, partitioned by data_version: the occupation similarity (Python, vectorised) between the
O*NET marts and the scores, and the dbt models built on it (tag:careers: occupation_transitions)."""

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset
from dagster_dbt import get_asset_key_for_model

from occurisk_assets.careers.build import SimilarityReport, build_similarity
from occurisk_assets.defs.bls.assets import soc_bls_link
from occurisk_assets.defs.dbt.assets import (
    CAREERS_SELECTION,
    onet_dbt_models,
    partitioned_dbt_assets,
    score_dbt_models,
)
from occurisk_assets.partitions import data_version_partitions
from occurisk_assets.resources import PlatformDatabase

CAREERS_GROUP = "careers"
OCCUPATION_SIMILARITY = AssetKey(["careers", "occupation_similarity"])


def similarity_metadata(report: SimilarityReport) -> dict:
    combined = report.related_recall["combined"]
    return {
        "n_socs": report.n_socs,
        "n_pairs": report.n_pairs,
        "top_k": report.top_k,
        "components_used": ", ".join(report.used),
        "components": MetadataValue.json(report.components),
        "onet_primary_short_recall_at_20": MetadataValue.float(round(combined["micro"] or 0.0, 4)),
        "related_recall": MetadataValue.json(report.related_recall),
        "build_seconds": round(report.seconds, 3),
        **report.timings,
    }


@asset(
    key=OCCUPATION_SIMILARITY,
    group_name=CAREERS_GROUP,
    partitions_def=data_version_partitions,
    kinds={"python", "postgres"},
    deps=[
        *(
            get_asset_key_for_model([onet_dbt_models], model)
            for model in (
                "soc_descriptor_profile",
                "soc_detailed_work_activity",
                "soc_technology_skill",
                "task_statements",
                "occupation_related",  # only for onet_related and the recall, never an input
            )
        ),
        get_asset_key_for_model([score_dbt_models], "occupation_summary"),  # checks compare with scored SOCs
        soc_bls_link.key,
    ],
    description="Each SOC's 50 most similar SOCs (and the reverse of each pair) from every descriptor the "
    "release has — skills, knowledge, abilities, work activities, work context (importance-weighted level "
    "profiles), shared detailed work activities, kinds of software, task text — each component kept, "
    "combined by a weighted mean; O*NET's related occupations marked and the recall of its Primary-Short "
    "ones among the top 20 recorded. Stored in careers.occupation_similarity and careers.similarity_build.",
)
def occupation_similarity(context: AssetExecutionContext, database: PlatformDatabase) -> MaterializeResult:
    with database.connect() as conn:
        report = build_similarity(conn, context.partition_key)
    recall = report.related_recall["combined"]
    context.log.info(
        f"O*NET {report.data_version}: similarity of {report.n_socs} SOCs from {', '.join(report.used)} in "
        f"{report.seconds:.2f}s; {report.n_pairs} pairs kept; recall of O*NET Primary-Short related "
        f"occupations among the top 20: {recall['micro']:.3f}"
    )
    return MaterializeResult(metadata=similarity_metadata(report))


careers_dbt_models = partitioned_dbt_assets("careers_dbt_models", select=CAREERS_SELECTION)


OCCUPATION_TRANSITIONS = get_asset_key_for_model([careers_dbt_models], "occupation_transitions")

assets = [occupation_similarity, careers_dbt_models]
