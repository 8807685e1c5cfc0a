"""The assistant domain: the retention of people's profiles (the API serves the profiles themselves)."""

import dagster as dg

from occurisk_assets.defs.assistant.jobs import daily_profile_retention, profile_retention_job


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(jobs=[profile_retention_job], schedules=[daily_profile_retention])
