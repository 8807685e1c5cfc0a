"""The coder domain's Dagster definitions."""

import dagster as dg

from occurisk_assets.defs.coder.assets import occupation_coder

defs = dg.Definitions(assets=[occupation_coder])
