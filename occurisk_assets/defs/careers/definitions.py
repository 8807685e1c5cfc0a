"""The careers domain's Dagster definitions, merged into the code location by occurisk_assets/definitions.py.
Its dbt assets use the `dbt` resource of the dbt domain."""

from dagster import Definitions

from occurisk_assets.defs.careers.assets import assets
from occurisk_assets.defs.careers.checks import asset_checks

defs = Definitions(assets=assets, asset_checks=asset_checks)
