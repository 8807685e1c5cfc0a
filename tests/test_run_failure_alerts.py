"""A failed Dagster run reaches the alert channel through the real Alertmanager (Debian's), posted by the
run-failure sensor; its alert says which run and step, never the error's text."""

from __future__ import annotations

import shutil
import time
from datetime import UTC, datetime

import dagster as dg
import httpx
import pytest
import yaml
from dagster._core.remote_origin import RegisteredCodeLocationOrigin, RemoteJobOrigin, RemoteRepositoryOrigin
from dagster._core.storage.tags import WILL_RETRY_TAG

from api.alerting import render_alertmanager_config
from occurisk_assets.defs.lifecycle.sensors import run_failure_alert_sensor
from occurisk_assets.lib.settings import get_settings
from occurisk_assets.runs.alerts import ALERT_NAME, run_failure_alert
from tests.api.test_alerting import Webhook, fast_routing, started
from tests.serving import free_port

# What the failing step's error says: it must reach no alert.
ERROR_TEXT = "row of Jane Example's résumé"


@dg.op
def loads_fine() -> int:
    return 1


@dg.op
def breaks(value: int) -> None:
    raise ValueError(ERROR_TEXT)


@dg.job
def fragile_job():
    breaks(loads_fine())


def test_the_alert_names_the_run_and_step_in_alertmanagers_format():
    alert = run_failure_alert(
        job="data_version_pipeline",
        run_id="4f0c",
        failed_at=datetime(2026, 12, 7, 6, 0, tzinfo=UTC),
        first_failed_step="onet_dbt_models",
        failure_reason="STEP_FAILURE",
        data_version="30.1",
    )
    assert alert["labels"] == {"alertname": ALERT_NAME, "severity": "warning", "job": "data_version_pipeline"}
    assert alert["annotations"]["run_id"] == "4f0c"
    assert alert["annotations"]["first_failed_step"] == "onet_dbt_models"
    assert alert["annotations"]["data_version"] == "30.1"
    assert alert["startsAt"] == "2026-12-07T06:00:00+00:00"
    lost = run_failure_alert(
        job="bls_releases",
        run_id="9a1b",
        failed_at=datetime.now(UTC),
        first_failed_step=None,
        failure_reason=None,
        data_version=None,
    )
    assert lost["annotations"]["first_failed_step"].startswith("none: the run itself failed")


@pytest.fixture(scope="module")
def alertmanager(tmp_path_factory):
    """Debian's Alertmanager with the repository's routing, its receivers a local webhook."""
    tmp = tmp_path_factory.mktemp("alertmanager")
    webhook = Webhook()
    routing = render_alertmanager_config(
        {
            "OCCURISK_ALERT_CHANNEL_URL": f"{webhook.url}/channel",
            "OCCURISK_ALERT_PAGING_URL": f"{webhook.url}/paging",
        }
    )
    (tmp / "alertmanager.yml").write_text(yaml.safe_dump(fast_routing(routing)))
    port = free_port()
    process = started(
        [
            shutil.which("prometheus-alertmanager"),
            f"--config.file={tmp / 'alertmanager.yml'}",
            f"--storage.path={tmp / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
            "--cluster.listen-address=",
        ],
        f"http://127.0.0.1:{port}/-/ready",
        tmp / "alertmanager.log",
    )
    try:
        yield f"http://127.0.0.1:{port}", webhook
    finally:
        process.terminate()
        process.wait(timeout=30)
        webhook.server.shutdown()


@pytest.fixture
def failed_run():
    """A real failed run (its second step raised) and the sensor's context for it."""
    instance = dg.DagsterInstance.ephemeral()
    result = fragile_job.execute_in_process(instance=instance, raise_on_error=False)
    assert not result.success

    def context(relaunchable: bool = False, **tags: str):
        """`relaunchable`: the run as the daemon launched it, with the origin it can re-launch it from."""
        if tags:
            instance.add_run_tags(result.run_id, tags)
        run = instance.get_run_by_id(result.run_id)
        if relaunchable:
            location = RegisteredCodeLocationOrigin("occurisk_assets")
            run = run._replace(
                remote_job_origin=RemoteJobOrigin(
                    RemoteRepositoryOrigin(location, "__repository__"), run.job_name
                )
            )
        return dg.build_run_status_sensor_context(
            sensor_name="run_failure_alert_sensor",
            dagster_event=result.get_run_failure_event(),
            dagster_instance=instance,
            dagster_run=run,
        ).for_run_failure()

    return result.run_id, context


@pytest.fixture
def alertmanager_url(monkeypatch):
    def point_at(url: str | None) -> None:
        if url:
            monkeypatch.setenv("OCCURISK_ALERTMANAGER_URL", url)
        else:
            monkeypatch.delenv("OCCURISK_ALERTMANAGER_URL", raising=False)
        get_settings.cache_clear()

    yield point_at
    get_settings.cache_clear()


def _notified(webhook: Webhook, run_id: str) -> list[tuple[str, dict]]:
    return [
        (path, alert)
        for path, body in list(webhook.received)
        for alert in body["alerts"]
        if alert["annotations"].get("run_id") == run_id
    ]


def test_a_failed_run_reaches_the_channel_through_alertmanager(alertmanager, failed_run, alertmanager_url):
    url, webhook = alertmanager
    run_id, context = failed_run
    alertmanager_url(url)
    # Executed in this process (as the CLI's runs are), the daemon cannot re-launch it: it alerts now.
    run_failure_alert_sensor(context(**{WILL_RETRY_TAG: "true"}))
    deadline = time.monotonic() + 30
    while not _notified(webhook, run_id) and time.monotonic() < deadline:
        time.sleep(0.2)
    [(path, alert)] = _notified(webhook, run_id)
    assert path == "/channel" and alert["status"] == "firing"
    assert alert["labels"] == {"alertname": ALERT_NAME, "severity": "warning", "job": "fragile_job"}
    assert alert["annotations"]["first_failed_step"] == "breaks"
    assert alert["annotations"]["failure_reason"] == "STEP_FAILURE"
    assert "Jane" not in str(webhook.received)


def test_without_an_alertmanager_url_the_failure_is_only_logged(alertmanager, failed_run, alertmanager_url):
    url, webhook = alertmanager
    run_id, context = failed_run
    alertmanager_url(None)
    skipped = run_failure_alert_sensor(context())
    assert isinstance(skipped, dg.SkipReason) and "OCCURISK_ALERTMANAGER_URL is unset" in skipped.skip_message


def test_a_run_the_daemon_will_retry_is_left_to_its_retry(alertmanager, failed_run, alertmanager_url):
    url, webhook = alertmanager
    run_id, context = failed_run
    alertmanager_url(url)
    skipped = run_failure_alert_sensor(context(relaunchable=True, **{WILL_RETRY_TAG: "true"}))
    assert isinstance(skipped, dg.SkipReason) and "will be retried" in skipped.skip_message
    # Alertmanager holds what was posted to it at once.
    held = httpx.get(f"{url}/api/v2/alerts").json()
    assert not [a for a in held if a["annotations"].get("run_id") == run_id]
    # The same run, not to be retried, is posted.
    run_failure_alert_sensor(context(relaunchable=True, **{WILL_RETRY_TAG: "false"}))
    held = httpx.get(f"{url}/api/v2/alerts").json()
    assert [a["labels"]["job"] for a in held if a["annotations"].get("run_id") == run_id] == ["fragile_job"]
