"""Postings are partitioned by the day (UTC) they were collected."""

import dagster as dg

POSTINGS_START = "2026-11-01"
postings_days = dg.DailyPartitionsDefinition(start_date=POSTINGS_START, timezone="UTC", end_offset=1)
