"""A failed Dagster run as an Alertmanager alert (API v2), posted by the run_failure_sensor
(occurisk_assets/defs/lifecycle/sensors.py) to OCCURISK_ALERTMANAGER_URL: the same routing, receivers and
escalation as Prometheus's alerts, within a sensor tick of the failure instead of a scrape and a rule later.

Only closed facts travel: job, run id, data version, the first failed step and Dagster's failure reason —
never an error message (a step's error may quote a row).
"""

from __future__ import annotations

from datetime import datetime

import httpx

ALERT_NAME = "OccuriskDagsterRunFailed"
POST_TIMEOUT_S = 10


def run_failure_alert(
    *,
    job: str,
    run_id: str,
    failed_at: datetime,
    first_failed_step: str | None,
    failure_reason: str | None,
    data_version: str | None,
) -> dict:
    """One alert in the body of Alertmanager's `POST /api/v2/alerts` (no endsAt: it resolves after
    Alertmanager's resolve_timeout, as a failure is an event, not a state)."""
    return {
        "labels": {"alertname": ALERT_NAME, "severity": "warning", "job": job},
        "annotations": {
            "summary": f"run {run_id} of Dagster job {job} failed",
            "run_id": run_id,
            "first_failed_step": first_failed_step
            or "none: the run itself failed (worker lost, start timeout)",
            "failure_reason": failure_reason or "UNKNOWN",
            "data_version": data_version or "none",
            "runbook": "docs/operations.md#occuriskdagsterrunfailed",
        },
        "startsAt": failed_at.isoformat(),
    }


def post_alerts(alertmanager_url: str, alerts: list[dict]) -> None:
    """POST `alerts` to Alertmanager (a refused connection is tried again, twice). An error (unreachable,
    not 2xx) is raised: Dagster records it on the sensor's tick and moves on, and the failed run still
    shows as OccuriskPipelineRunFailed through Prometheus."""
    with httpx.Client(transport=httpx.HTTPTransport(retries=2), timeout=POST_TIMEOUT_S) as client:
        client.post(f"{alertmanager_url.rstrip('/')}/api/v2/alerts", json=alerts).raise_for_status()
