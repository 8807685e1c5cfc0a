"""The assistant's scheduled job: delete profiles not opened for N days."""

import dagster as dg

from occurisk_assets.assistant.retention import delete_unused_profiles
from occurisk_assets.lib.settings import get_settings
from occurisk_assets.resources import PlatformDatabase


class ProfileRetentionConfig(dg.Config):
    days: int | None = None  # default: OCCURISK_ASSISTANT_RETENTION_DAYS


@dg.op(description="Delete every profile (and all its rows) not opened for N days; reports the count only.")
def delete_unused_profiles_op(
    context: dg.OpExecutionContext, config: ProfileRetentionConfig, database: PlatformDatabase
) -> None:
    days = config.days or get_settings().assistant_retention_days
    with database.connect(autocommit=True) as conn:
        deleted = delete_unused_profiles(conn, days)
    context.log.info(f"deleted {deleted} profiles not opened for {days} days")
    context.add_output_metadata({"profiles_deleted": deleted, "days": days})


@dg.job(description="Personal data retention: delete assistant profiles not opened for N days (default 30).")
def profile_retention_job():
    delete_unused_profiles_op()


@dg.schedule(
    name="daily_profile_retention",
    cron_schedule=get_settings().assistant_retention_cron,
    job=profile_retention_job,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Daily: delete assistant profiles not opened for OCCURISK_ASSISTANT_RETENTION_DAYS days.",
)
def daily_profile_retention(context: dg.ScheduleEvaluationContext):
    return dg.RunRequest()
