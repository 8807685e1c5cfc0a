"""The AEI release sensor: a release folder dropped in the landing folder (`<landing>/aei/release_YYYY_MM_DD`)
or present in the AEI data folder becomes an aei_release partition and a load run; every loaded release ×
complete O*NET data_version not matched yet gets a match run. The cursor maps each release to the
fingerprint of its files, so a release loads once, and again only when its files change."""

import json
import time

from dagster import (
    DefaultSensorStatus,
    MultiPartitionKey,
    RunRequest,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

from occurisk_assets.aei.files import Release, find_releases
from occurisk_assets.defs.aei.assets import aei_release_partitions
from occurisk_assets.defs.aei.jobs import LOAD_JOB, MATCH_JOB, aei_load_job, aei_match_job
from occurisk_assets.lib.settings import get_settings
from occurisk_assets.resources import PlatformDatabase
from occurisk_assets.versions import complete_versions


def fingerprint(release: Release) -> str:
    return json.dumps([[p.name, p.stat().st_size, p.stat().st_mtime_ns] for p in release.files])


def settled(release: Release, settle_s: float) -> bool:
    """False while a file changed less than settle_s ago: the folder is still being copied."""
    return all(time.time() - p.stat().st_mtime >= settle_s for p in release.files)


def unmatched_pairs(conn) -> list[tuple[str, str]]:
    versions = complete_versions(conn)
    return [
        (aei_release, version)
        for (aei_release,) in conn.execute("SELECT aei_release FROM aei.release ORDER BY 1")
        for version in versions
        if not conn.execute(
            "SELECT 1 FROM aei.task_match WHERE aei_release = %s AND data_version = %s LIMIT 1",
            (aei_release, version),
        ).fetchone()
    ]


@sensor(
    name="aei_release_sensor",
    jobs=[aei_load_job, aei_match_job],
    minimum_interval_seconds=get_settings().release_sensor_interval_s,
    default_status=DefaultSensorStatus.RUNNING,
    description="Loads a new Anthropic Economic Index release dropped in the landing folder, and matches "
    "every loaded release to every complete O*NET data_version.",
)
def aei_release_sensor(context: SensorEvaluationContext, database: PlatformDatabase):
    settings = get_settings()
    evaluated = json.loads(context.cursor) if context.cursor else {}
    registered = set(context.instance.get_dynamic_partitions(aei_release_partitions.name))
    fresh = {
        key: release
        for key, release in find_releases(*settings.aei_release_roots).items()
        if evaluated.get(key) != fingerprint(release) and settled(release, settings.landing_settle_s)
    }
    requests = [
        RunRequest(run_key=f"aei-load:{key}:{fingerprint(release)}", job_name=LOAD_JOB, partition_key=key)
        for key, release in sorted(fresh.items())
    ]
    with database.connect() as conn:
        requests += [
            RunRequest(
                run_key=f"aei-match:{aei_release}:{version}",
                job_name=MATCH_JOB,
                partition_key=MultiPartitionKey({"aei_release": aei_release, "data_version": version}),
            )
            for aei_release, version in unmatched_pairs(conn)
            if aei_release in registered
        ]
    if not requests:
        return SkipReason("no new AEI release and every loaded release is matched to every complete version")
    new = sorted(set(fresh) - registered)
    return SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[aei_release_partitions.build_add_request(new)] if new else [],
        cursor=json.dumps({**evaluated, **{key: fingerprint(r) for key, r in fresh.items()}}, sort_keys=True),
    )
