"""Checks of core.task_ai_score for one data_version."""

import dagster as dg

from occurisk_assets.defs.scoring.assets import TASK_AI_SCORE_KEY
from occurisk_assets.partitions import data_version_partitions
from occurisk_assets.resources import PlatformDatabase


@dg.asset_check(
    asset=TASK_AI_SCORE_KEY,
    partitions_def=data_version_partitions,
    blocking=True,
    description="No stored score lies outside 0..1.",
)
def scores_within_0_1(
    context: dg.AssetCheckExecutionContext, database: PlatformDatabase
) -> dg.AssetCheckResult:
    with database.connect() as conn:
        bad, total = conn.execute(
            "SELECT count(*) FILTER (WHERE score < 0 OR score > 1), count(*) FROM core.task_ai_score "
            "WHERE data_version = %s",
            [context.partition_key],
        ).fetchone()
    return dg.AssetCheckResult(passed=bad == 0, metadata={"out_of_range": bad, "scores": total})


@dg.asset_check(
    asset=TASK_AI_SCORE_KEY,
    partitions_def=data_version_partitions,
    blocking=True,
    description="Every scored task exists in marts.task_catalog of the same data_version.",
)
def scored_tasks_in_catalog(
    context: dg.AssetCheckExecutionContext, database: PlatformDatabase
) -> dg.AssetCheckResult:
    with database.connect() as conn:
        rows = conn.execute(
            """
            SELECT DISTINCT s.task_id FROM core.task_ai_score s
            WHERE s.data_version = %(v)s AND NOT EXISTS (
                SELECT 1 FROM marts.task_catalog c WHERE c.data_version = s.data_version AND c.task_id = s.task_id)
            ORDER BY 1 LIMIT 20
            """,
            {"v": context.partition_key},
        ).fetchall()
    return dg.AssetCheckResult(passed=not rows, metadata={"missing_task_ids_first_20": [r[0] for r in rows]})
