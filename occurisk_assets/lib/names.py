"""Names that the Dagster definitions and the code launching or watching their runs must agree on.

Importing this module imports no Dagster: the light CLI commands read the job names from it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dagster import AssetKey

# One O*NET release and everything derived from it, partitioned by data_version (occurisk_assets/definitions.py).
DATA_VERSION_JOB = "data_version_pipeline"
# The unpartitioned BLS tables of every release (defs/bls/definitions.py).
BLS_JOB = "bls_releases"


def raw_asset_key(table: str) -> AssetKey:
    """The asset of one raw O*NET table, `onet_raw/<table>`."""
    from dagster import AssetKey

    return AssetKey(["onet_raw", table])
