"""The release sensor: a new O*NET release (dropped in the landing folder, or listed on the official page
when OCCURISK_ONET_CHECK_ONLINE=1) becomes a data_version partition and a run of the whole graph. Also the
sensors that watch runs: the dead-run sensor, and the run-failure sensor that alerts through Alertmanager.

The cursor maps each version to the fingerprint of what was last evaluated for it, so a release fires
once; a rejected release is reported once and looked at again only when its files change.
"""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

import psycopg
from dagster import (
    AssetKey,
    AssetObservation,
    DefaultSensorStatus,
    MetadataValue,
    RunFailureSensorContext,
    RunRequest,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    run_failure_sensor,
    sensor,
)
from dagster._core.storage.tags import RUN_FAILURE_REASON_TAG, WILL_RETRY_TAG

from occurisk_assets.lib.names import DATA_VERSION_JOB
from occurisk_assets.lib.settings import Settings, get_settings
from occurisk_assets.lifecycle.landing import (
    Candidate,
    Discovery,
    landing_candidates,
    online_candidates,
    validate_candidate,
)
from occurisk_assets.partitions import data_version_partitions
from occurisk_assets.resources import PlatformDatabase
from occurisk_assets.runs import recovery as run_recovery
from occurisk_assets.runs.alerts import post_alerts, run_failure_alert
from occurisk_assets.versions import version_sort_key

# An external asset standing for the landing folder: the sensor's findings are its observations in the UI.
LANDING_ASSET_KEY = AssetKey(["onet_landing"])
CURSOR_FORMAT = 1


@dataclass
class SensorCursor:
    evaluated: dict[str, str] = field(default_factory=dict)  # data_version → fingerprint

    @classmethod
    def parse(cls, raw: str | None) -> "SensorCursor":
        if not raw:
            return cls()
        data = json.loads(raw)
        return cls(evaluated=dict(data.get("evaluated", {})))

    def dump(self) -> str:
        return json.dumps({"format": CURSOR_FORMAT, "evaluated": self.evaluated}, sort_keys=True)


@dataclass
class Verdict:
    candidate: Candidate
    problems: list[str]

    @property
    def accepted(self) -> bool:
        return not self.problems


def discover(settings: Settings, registered: set[str]) -> Discovery:
    """Landing-folder releases, plus (when enabled) page-listed versions newer than everything known."""
    discovery = landing_candidates(settings.landing_dir, settings.landing_settle_s)
    if settings.onet_check_online:
        known = registered | {c.data_version for c in discovery.candidates}
        newest = max((version_sort_key(v) for v in known), default=None)
        online = online_candidates(settings.onet_database_page, settings.onet_download_base, newest)
        discovery.candidates += [c for c in online.candidates if c.data_version not in known]
        discovery.errors += online.errors
    return discovery


def record_intake(conn: psycopg.Connection, verdicts: list[Verdict]) -> None:
    with conn.cursor() as cur:
        cur.executemany(
            """INSERT INTO core.release_intake (data_version, fingerprint, source, status, problems)
               VALUES (%s, %s, %s, %s, %s)
               ON CONFLICT (data_version, fingerprint) DO UPDATE SET status = EXCLUDED.status,
                   problems = EXCLUDED.problems, source = EXCLUDED.source, found_at = now()""",
            [
                (
                    v.candidate.data_version,
                    v.candidate.fingerprint,
                    v.candidate.source,
                    "registered" if v.accepted else "rejected",
                    v.problems,
                )
                for v in verdicts
            ],
        )


def _observation(verdicts: list[Verdict]) -> AssetObservation:
    lines = ["| version | source | verdict |", "|---|---|---|"]
    for v in verdicts:
        verdict = "registered, run requested" if v.accepted else "**rejected**: " + "; ".join(v.problems)
        lines.append(f"| {v.candidate.data_version} | {v.candidate.source} | {verdict} |")
    return AssetObservation(
        asset_key=LANDING_ASSET_KEY,
        metadata={
            "registered": [v.candidate.data_version for v in verdicts if v.accepted],
            "rejected": [v.candidate.data_version for v in verdicts if not v.accepted],
            "releases": MetadataValue.md("\n".join(lines)),
        },
    )


def evaluate(
    context: SensorEvaluationContext, settings: Settings, database: PlatformDatabase
) -> SensorResult | SkipReason:
    cursor = SensorCursor.parse(context.cursor)
    registered = set(context.instance.get_dynamic_partitions(data_version_partitions.name))
    discovery = discover(settings, registered)
    for error in discovery.errors:
        context.log.warning(error)
    for entry in discovery.settling:
        context.log.info(
            f"{entry} changed less than {settings.landing_settle_s:g}s ago: waiting for the copy to finish"
        )
    fresh = [
        c
        for c in discovery.candidates
        if c.data_version not in registered and cursor.evaluated.get(c.data_version) != c.fingerprint
    ]
    if not fresh:
        return SkipReason(
            f"no new O*NET release in {settings.landing_dir}"
            + (" or on the O*NET database page" if settings.onet_check_online else "")
        )
    verdicts = [Verdict(c, validate_candidate(c)) for c in fresh]
    for verdict in verdicts:
        cursor.evaluated[verdict.candidate.data_version] = verdict.candidate.fingerprint
        if verdict.accepted:
            context.log.info(
                f"O*NET {verdict.candidate.data_version} found at {verdict.candidate.source}: registering it"
            )
        else:
            context.log.error(
                f"O*NET {verdict.candidate.data_version} at {verdict.candidate.source} rejected "
                f"(not retried until its files change): " + "; ".join(verdict.problems)
            )
    with database.connect() as conn:
        record_intake(conn, verdicts)
    accepted = sorted({v.candidate.data_version for v in verdicts if v.accepted}, key=version_sort_key)
    return SensorResult(
        dynamic_partitions_requests=[data_version_partitions.build_add_request(accepted)] if accepted else [],
        run_requests=[
            RunRequest(
                partition_key=v.candidate.data_version,
                run_key=f"onet-{v.candidate.data_version}-{v.candidate.fingerprint[:16]}",
                tags={"occurisk/trigger": "release_sensor", "occurisk/release_source": v.candidate.source},
            )
            for v in sorted(verdicts, key=lambda v: version_sort_key(v.candidate.data_version))
            if v.accepted
        ],
        asset_events=[_observation(verdicts)],
        cursor=cursor.dump(),
    )


@sensor(
    name="onet_release_sensor",
    job_name=DATA_VERSION_JOB,
    minimum_interval_seconds=get_settings().release_sensor_interval_s,
    default_status=DefaultSensorStatus.RUNNING,
    description="Registers new O*NET releases (landing folder; the official page when "
    "OCCURISK_ONET_CHECK_ONLINE=1) as data_version partitions and runs the whole graph for each.",
)
def onet_release_sensor(context: SensorEvaluationContext, database: PlatformDatabase):
    return evaluate(context, get_settings(), database)


@sensor(
    name="dead_run_sensor",
    minimum_interval_seconds=60,
    default_status=DefaultSensorStatus.RUNNING,
    description="Fails runs whose process is gone (killed, out of memory, machine restarted), frees their pool "
    "slots and marks the O*NET version they were building failed, so that no later run waits for them.",
)
def dead_run_sensor(context: SensorEvaluationContext):
    run_recovery.ensure_pool_limits(context.instance)  # a daemon started without `occurisk up`
    dead = run_recovery.fail_dead_runs(context.instance, run_recovery.mark_versions_failed)
    for run in dead:
        context.log.warning(
            f"run {run.run_id} ({run.job_name}) lost its process {run.pid}: failed; pool slots freed: "
            f"{', '.join(run.freed_slots) or 'none'}"
        )
    return SkipReason(
        f"failed {len(dead)} run(s) whose process was gone"
        if dead
        else "every in-progress run has its process"
    )


@run_failure_sensor(
    name="run_failure_alert_sensor",
    default_status=DefaultSensorStatus.RUNNING,
    description="Sends each failed run of this code location's jobs to Alertmanager "
    "(OCCURISK_ALERTMANAGER_URL) as OccuriskDagsterRunFailed; a run Dagster will retry is left to its retry.",
)
def run_failure_alert_sensor(context: RunFailureSensorContext):
    run = context.dagster_run
    # The daemon re-launches only runs it can (a CLI run, executed in its process, has no origin to re-launch).
    if run.tags.get(WILL_RETRY_TAG) == "true" and run.remote_job_origin is not None:
        return SkipReason(f"run {run.run_id} ({run.job_name}) failed and will be retried: its retry alerts")
    url = get_settings().alertmanager_url
    if not url:
        context.log.warning(f"run {run.run_id} ({run.job_name}) failed; OCCURISK_ALERTMANAGER_URL is unset")
        return SkipReason("OCCURISK_ALERTMANAGER_URL is unset: failure logged, no alert sent")
    failed_steps = context.get_step_failure_events()
    alert = run_failure_alert(
        job=run.job_name,
        run_id=run.run_id,
        failed_at=_ended_at(context),
        first_failed_step=failed_steps[0].step_key if failed_steps else None,
        failure_reason=run.tags.get(RUN_FAILURE_REASON_TAG),
        data_version=run.tags.get(run_recovery.PARTITION_TAG),
    )
    post_alerts(url, [alert])
    context.log.info(f"run {run.run_id} ({run.job_name}) failed: alert sent to Alertmanager")


def _ended_at(context: RunFailureSensorContext) -> datetime:
    record = context.instance.get_run_record_by_id(context.dagster_run.run_id)
    return datetime.fromtimestamp(record.end_time, UTC) if record and record.end_time else datetime.now(UTC)
