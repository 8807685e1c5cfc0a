"""The lifecycle domain: diff report and gated activation at the end of the data_version graph, the
release sensor, the dead-run sensor (crash recovery), the run-failure alert sensor, the weekly re-scoring schedule, retention."""

import dagster as dg

from occurisk_assets.defs.lifecycle.assets import onet_landing, version_activation, version_diff
from occurisk_assets.defs.lifecycle.jobs import rescore_job, retention_job
from occurisk_assets.defs.lifecycle.schedules import weekly_rescore
from occurisk_assets.defs.lifecycle.sensors import (
    dead_run_sensor,
    onet_release_sensor,
    run_failure_alert_sensor,
)


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(
        assets=[onet_landing, version_diff, version_activation],
        sensors=[onet_release_sensor, dead_run_sensor, run_failure_alert_sensor],
        schedules=[weekly_rescore],
        jobs=[rescore_job, retention_job],
    )
