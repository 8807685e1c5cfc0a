"""The careers domain: occupation similarity and transitions (its dbt models use the dbt domain's `dbt`
resource), their checks."""

import dagster as dg

from occurisk_assets.defs.careers.assets import assets
from occurisk_assets.defs.careers.checks import asset_checks


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=assets, asset_checks=asset_checks)
