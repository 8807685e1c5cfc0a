"""O*NET raw tables as Dagster assets: one asset per file of the release, loaded together (all or nothing)
for one `data_version` partition."""

import dataclasses

from dagster import AssetExecutionContext, AssetSpec, MaterializeResult, MetadataValue, multi_asset

from occurisk_assets.defs.onet.checks import check_specs, run_checks
from occurisk_assets.lib.names import raw_asset_key
from occurisk_assets.lib.settings import get_settings
from occurisk_assets.onet.files import SPECS
from occurisk_assets.onet.loader import ReleaseLoadReport, load_release
from occurisk_assets.onet.sources import resolve_release
from occurisk_assets.partitions import data_version_partitions
from occurisk_assets.resources import PlatformDatabase
from occurisk_assets.runs import build_lock
from occurisk_assets.versions import rebuilt_version

RAW_GROUP = "onet_raw"


def manifest_markdown(report: ReleaseLoadReport) -> str:
    lines = ["| file | present | rows | bytes | sha256 |", "|---|---|---|---|---|"]
    for f in report.files:
        lines.append(
            f"| {f.file_name} | {'yes' if f.present else '**absent**'} | {f.rows if f.present else ''} | "
            f"{f.bytes or ''} | {(f.sha256 or '')[:12]} |"
        )
    return "\n".join(lines)


@multi_asset(
    specs=[
        AssetSpec(
            raw_asset_key(spec.table),
            group_name=RAW_GROUP,
            kinds={"postgres"},
            description=f"`{spec.file_name}` of the O*NET release, typed"
            + (" (required)" if spec.required else " (optional: may be absent)"),
        )
        for spec in SPECS
    ],
    check_specs=check_specs(),
    partitions_def=data_version_partitions,
    can_subset=False,
    name="onet_release",
    description="Validate and load every file of one O*NET release in one transaction.",
)
def onet_release(context: AssetExecutionContext, database: PlatformDatabase):
    # The run's first step: no table is touched while another live build holds this version.
    build_lock.claim_for_run(context.instance, context.partition_key, context.run.run_id, database.url)
    settings = get_settings()
    key = context.partition_key
    # A rebuild (key "30.1~new") loads the version's files under its own key, beside the served build.
    release = dataclasses.replace(resolve_release(rebuilt_version(key) or key, settings), data_version=key)
    report = load_release(release, run_id=context.run.run_id, url=database.url)
    context.log.info(
        f"O*NET {report.data_version} from {report.source}: {len(report.present)} files loaded, "
        f"{len(report.absent)} absent, {report.seconds:.2f}s"
    )
    if report.absent:
        context.log.warning("absent from this release: " + ", ".join(f.file_name for f in report.absent))
    for f in report.files:
        if f.table not in {spec.table for spec in SPECS}:
            context.log.info(
                f"{f.file_name}: not a known O*NET file; loaded generically into onet_raw.{f.table}"
            )
    files = {f.table: f for f in report.files}
    for spec in SPECS:
        f = files[spec.table]
        metadata = {
            "file": spec.file_name,
            "present": f.present,
            "rows": f.rows or 0,
            "source": report.source,
        }
        if f.present:
            metadata.update({"bytes": f.bytes, "sha256": f.sha256})
        if spec.table == "occupation_data":
            metadata["release_manifest"] = MetadataValue.md(manifest_markdown(report))
            metadata["load_seconds"] = round(report.seconds, 3)
        yield MaterializeResult(asset_key=raw_asset_key(spec.table), metadata=metadata)
    with database.connect() as conn:
        yield from run_checks(conn, report, settings.rowcount_change_warn_pct)
