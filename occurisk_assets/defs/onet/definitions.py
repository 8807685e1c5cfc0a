from dagster import Definitions

from occurisk_assets.defs.onet.assets import onet_release

defs = Definitions(assets=[onet_release])
