"""The coder domain: the occupation coder of each data_version."""

import dagster as dg

from occurisk_assets.defs.coder.assets import occupation_coder


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=[occupation_coder])
