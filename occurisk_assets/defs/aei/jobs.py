"""The AEI jobs: load one release (partition = AEI release); match one release to one data_version."""

import dagster as dg

from occurisk_assets.defs.aei.assets import release, task_match, validation_report

LOAD_JOB = "aei_load"
MATCH_JOB = "aei_match"

aei_load_job = dg.define_asset_job(
    LOAD_JOB,
    selection=dg.AssetSelection.assets(release),
    description="Load one Anthropic Economic Index release (partition = AEI release).",
)
aei_match_job = dg.define_asset_job(
    MATCH_JOB,
    selection=dg.AssetSelection.assets(task_match, validation_report),
    description="Match one AEI release's task texts to one O*NET data_version's task ids (the dbt views over "
    "the matches show them at once), then compare modelled and observed exposure (validation_report).",
)
