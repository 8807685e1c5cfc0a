"""The BLS domain: OEWS, projections and crosswalk tables, the SOC link of each data_version, the dbt models
over them (using the dbt domain's `dbt` resource), checks."""

import dagster as dg

from occurisk_assets.defs.bls.assets import assets
from occurisk_assets.defs.bls.checks import asset_checks


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=assets, asset_checks=asset_checks)
