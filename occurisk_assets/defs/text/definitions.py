"""The text domain: the meaning vectors of each data_version's O*NET texts (occurisk_assets.text)."""

import dagster as dg

from occurisk_assets.defs.text.assets import onet_text_embeddings


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=[onet_text_embeddings])
