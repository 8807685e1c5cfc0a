"""The BLS domain's Dagster definitions, merged into the code location by occurisk_assets/definitions.py."""

from dagster import Definitions

from occurisk_assets.defs.bls.assets import assets
from occurisk_assets.defs.bls.checks import asset_checks

defs = Definitions(assets=assets, asset_checks=asset_checks)
