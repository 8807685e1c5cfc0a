"""The dbt domain: the dbt project's models as two partitioned @dbt_assets, their tests as checks."""

import dagster as dg

from occurisk_assets.dbt.project import DbtCli, dbt_project, warm_dbt_executable
from occurisk_assets.defs.dbt.assets import onet_dbt_models, score_dbt_models


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(
        assets=[onet_dbt_models, score_dbt_models],
        resources={"dbt": DbtCli(project_dir=dbt_project, dbt_executable=warm_dbt_executable())},
    )
