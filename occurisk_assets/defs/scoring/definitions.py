"""The scoring domain: task scores of each model for one data_version, with their checks."""

import dagster as dg

from occurisk_assets.defs.scoring.assets import task_ai_score
from occurisk_assets.defs.scoring.checks import scored_tasks_in_catalog, scores_within_0_1


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=[task_ai_score], asset_checks=[scores_within_0_1, scored_tasks_in_catalog])
