"""The postings domain: collected → cleaned → coded → mix_drift, partitioned by day, and the daily schedule."""

import dagster as dg

from occurisk_assets.defs.postings.assets import (
    postings_cleaned,
    postings_coded,
    postings_collected,
    postings_mix_drift,
)
from occurisk_assets.defs.postings.schedules import daily_postings, postings_daily_job


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(
        assets=[postings_collected, postings_cleaned, postings_coded, postings_mix_drift],
        schedules=[daily_postings],
        jobs=[postings_daily_job],
    )
