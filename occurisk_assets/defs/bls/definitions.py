"""The BLS domain: OEWS, projections and crosswalk tables, the SOC link of each data_version, the dbt models
over them (using the dbt domain's `dbt` resource), checks."""

import dagster as dg

from occurisk_assets.defs.bls.assets import assets, release_assets
from occurisk_assets.defs.bls.checks import asset_checks
from occurisk_assets.lib.names import BLS_JOB

# The release tables alone (`occurisk bls-load`); the data_version job also builds them when missing. Not
# the link or the dbt models over it: they are data_version partitions, which this job has none of.
bls_releases_job = dg.define_asset_job(
    BLS_JOB,
    selection=dg.AssetSelection.assets(*release_assets),
    description="Load the known BLS releases (OEWS, projections, crosswalks) missing from the bls tables; "
    "with `reload`, the configured releases again.",
)


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=assets, asset_checks=asset_checks, jobs=[bls_releases_job])
