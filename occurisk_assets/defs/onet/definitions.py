"""The O*NET domain: one multi-asset loading every raw table of a release, with its checks."""

import dagster as dg

from occurisk_assets.defs.onet.assets import onet_release


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=[onet_release])
