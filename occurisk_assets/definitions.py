"""The one Dagster code location: every domain's definitions, found in the defs folder
(`occurisk_assets/defs/<domain>/definitions.py`), plus the job that spans the domains and the resources
every domain shares (occurisk_assets/resources.py)."""

from pathlib import Path

import dagster as dg

from occurisk_assets.lib.names import DATA_VERSION_JOB
from occurisk_assets.lib.run_logging import CLI_LOGGER, cli_console_logger
from occurisk_assets.partitions import data_version_partitions
from occurisk_assets.resources import platform_resources

# Runs launched by the UI, the sensors, schedules and backfills: each step in its own process, as many at once
# as cores, forked from a server that has already imported the code (occurisk_assets/runs/step_preload.py) — a
# spawned step would spend about 10 s importing it first. The CLI's runs execute in its own process.
step_executor = dg.multiprocess_executor.configured(
    {"start_method": {"forkserver": {"preload_modules": ["occurisk_assets.runs.step_preload"]}}},
    name="multiprocess_forkserver",
)


def data_version_job(domains: dg.Definitions):
    """Everything derived from one O*NET release, in dependency order: raw tables → dbt marts → scores →
    ensembles → BLS link → similarity and transitions → diff report → gated activation; with the
    unpartitioned assets they need (the BLS releases, loaded when missing), so that any run of a partition
    — from the CLI, the UI, the release sensor or a backfill — builds everything on a new instance."""
    keys = [
        key
        for asset in domains.assets or []
        if getattr(asset, "partitions_def", None) == data_version_partitions
        for key in asset.keys
    ]
    return dg.define_asset_job(
        DATA_VERSION_JOB,
        # Every BLS table, also the one only a check reads (nem_occupational_coverage). Not the AEI releases
        # the views over them read: partitioned by AEI release, they load on their own sensor (defs/aei).
        selection=(dg.AssetSelection.assets(*keys) | dg.AssetSelection.groups("bls"))
        .upstream()
        .materializable()
        - dg.AssetSelection.groups("aei"),
        description="Load one O*NET release and build everything derived from it (partition = data_version).",
        # dagster.yaml's run retry re-runs a lost run: all its steps, as `occurisk pipeline` does after a crash,
        # since the first one claims the version for the new run (runs/build_lock.py; from the failed step on,
        # the retry would not hold the claim its last step checks).
        # dagster.yaml queues these runs one at a time (tag_concurrency_limits).
        tags={"dagster/retry_strategy": "ALL_STEPS", "occurisk/release_build": "true"},
    )


@dg.definitions
def defs() -> dg.Definitions:
    domains = dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
    return dg.Definitions.merge(
        domains,
        # Runs the UI, sensors and schedules start log as usual; the CLI's choose this logger.
        dg.Definitions(
            jobs=[data_version_job(domains)],
            resources=platform_resources(),
            executor=step_executor,
            loggers={CLI_LOGGER: cli_console_logger},
        ),
    )
