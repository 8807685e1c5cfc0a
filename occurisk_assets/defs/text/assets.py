"""The O*NET texts' meaning vectors as a Dagster asset, one partition per data_version."""

import dagster as dg

from occurisk_assets.lib.names import raw_asset_key
from occurisk_assets.partitions import data_version_partitions
from occurisk_assets.resources import PlatformDatabase
from occurisk_assets.text.embeddings import build_embeddings
from occurisk_assets.text.encoder import MODEL_NAME, MODEL_VERSION

ONET_TEXT_EMBEDDINGS_KEY = dg.AssetKey(["text", "onet_text_embeddings"])
SOURCE_TABLES = ("occupation_data", "alternate_titles", "sample_of_reported_titles", "task_statements",
                 "dwa_reference")  # fmt: skip


@dg.asset(
    key=ONET_TEXT_EMBEDDINGS_KEY,
    partitions_def=data_version_partitions,
    deps=[raw_asset_key(t) for t in SOURCE_TABLES],
    group_name="text",
    kinds={"python", "postgres"},
    description="The release's occupation titles, alternate and reported titles, task statements and DWAs as "
    f"unit-length meaning vectors ({MODEL_NAME}, offline, Korean and English), each distinct text encoded "
    "once (texts already encoded on this machine read from the vector cache); stored with the model's name and version in meaning.onet_text_embedding (a re-run replaces the "
    "version's rows), counts per source (0 where the release lacks the file) in meaning.embedding_build.",
)
def onet_text_embeddings(
    context: dg.AssetExecutionContext, database: PlatformDatabase
) -> dg.MaterializeResult:
    with database.connect() as conn:
        build = build_embeddings(conn, context.partition_key)
    missing = [source for source, n in build.counts.items() if n == 0]
    context.log.info(
        f"O*NET {build.data_version}: {sum(build.counts.values())} texts ({build.distinct_texts} distinct, "
        f"{build.encoded_now} encoded now, the rest from the vector cache) in {build.seconds:.1f}s"
        + (f"; none for {', '.join(missing)}" if missing else "")
    )
    return dg.MaterializeResult(
        metadata={
            "model_name": MODEL_NAME,
            "model_version": MODEL_VERSION,
            **{f"texts_{source}": n for source, n in build.counts.items()},
            "distinct_texts": build.distinct_texts,
            "encoded_now": build.encoded_now,
            "build_seconds": round(build.seconds, 2),
        }
    )
