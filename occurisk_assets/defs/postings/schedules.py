"""The daily postings run at 02:00 UTC (OCCURISK_POSTINGS_CRON): collect the configured sources for the day,
clean, code, and report the mix drift."""

import datetime as dt

import dagster as dg

from occurisk_assets.defs.postings.assets import GROUP
from occurisk_assets.lib.settings import get_settings

postings_daily_job = dg.define_asset_job(
    "postings_daily",
    selection=dg.AssetSelection.groups(GROUP),
    description="Collect, clean and code one day's postings and report the mix drift (partition = day).",
)


@dg.schedule(
    name="daily_postings",
    cron_schedule=get_settings().postings_cron,
    execution_timezone="UTC",
    job=postings_daily_job,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Daily: crawl the configured seeds and fetch the configured USAJOBS queries, then clean and "
    "code the postings (the day's partition).",
)
def daily_postings(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    when = context.scheduled_execution_time or dt.datetime.now(dt.UTC)
    day = when.astimezone(dt.UTC).date().isoformat()
    return dg.RunRequest(partition_key=day, tags={"occurisk/trigger": "daily_postings"})
