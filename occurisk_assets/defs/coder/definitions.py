"""The coder domain: the occupation coder of each data_version."""

import dagster as dg

from occurisk_assets.defs.coder.assets import occupation_coder
from occurisk_assets.defs.coder.korean_terms import korean_occupation_terms


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=[korean_occupation_terms, occupation_coder])
