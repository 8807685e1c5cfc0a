"""The AEI domain (Anthropic Economic Index, observed use of AI): releases loaded side by side, their task
texts matched to O*NET task ids, the sensor for a new release. The code it runs is occurisk_assets/aei."""

import dagster as dg

from occurisk_assets.defs.aei.assets import assets
from occurisk_assets.defs.aei.jobs import aei_load_job, aei_match_job
from occurisk_assets.defs.aei.sensors import aei_release_sensor


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=assets, jobs=[aei_load_job, aei_match_job], sensors=[aei_release_sensor])
