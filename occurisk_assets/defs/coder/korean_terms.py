"""The project's Korean occupation names and everyday words as a Dagster asset: loaded per data_version into
core.occupation_korean_term (search, the job finder, the coder and check-a-job-ad read them there)."""

import dagster as dg

from occurisk_assets.lib.names import raw_asset_key
from occurisk_assets.partitions import data_version_partitions
from occurisk_assets.resources import PlatformDatabase
from occurisk_assets.text.korean_terms import PROVENANCE, TRANSLATION_VERSION, load_terms, read_terms

KOREAN_TERMS_KEY = dg.AssetKey(["coder", "korean_occupation_terms"])


@dg.asset(
    key=KOREAN_TERMS_KEY,
    partitions_def=data_version_partitions,
    deps=[raw_asset_key("occupation_data")],
    group_name="coder",
    kinds={"postgres"},
    description="A Korean name for every O*NET-SOC occupation and the everyday Korean words for the work "
    "(경리, 요양보호사, 택시 기사 …), from the project's occurisk_assets/text/korean_occupations.tsv "
    "(translated and reviewed by the project), into core.occupation_korean_term for the partition's "
    "occupations.",
)
def korean_occupation_terms(
    context: dg.AssetExecutionContext, database: PlatformDatabase
) -> dg.MaterializeResult:
    with database.connect() as conn:
        loaded = load_terms(conn, context.partition_key, read_terms())
    if loaded["occupations_without_name"]:
        context.log.warning(
            f"{len(loaded['occupations_without_name'])} occupations of {context.partition_key} have no Korean "
            f"name yet: {', '.join(loaded['occupations_without_name'][:20])}"
        )
    return dg.MaterializeResult(
        metadata={
            "translation_version": TRANSLATION_VERSION,
            "provenance": PROVENANCE,
            "terms": loaded["terms"],
            "occupations_named": loaded["occupations_named"],
            "occupations_without_name": len(loaded["occupations_without_name"]),
            "codes_not_in_release": len(loaded["codes_not_in_release"]),
        }
    )
