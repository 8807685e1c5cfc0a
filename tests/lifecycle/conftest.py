"""Lifecycle fixtures: a landing folder of real releases (symlinks to ../shared/data), settings overrides."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import psycopg
import pytest
from dagster import (
    DagsterInstance,
    ExecuteInProcessResult,
    RunRequest,
    build_sensor_context,
    partition_loading_context,
)

from occurisk_assets.defs.lifecycle.sensors import onet_release_sensor
from occurisk_assets.lib import db, schema
from occurisk_assets.lib.settings import get_settings
from tests.conftest import ONET_DATA
from tests.resources import resources_for_tests


def drop_release(landing: Path, version: str) -> Path:
    """Drop a real release into the landing folder, as a folder of symlinks to the shared files."""
    folder = landing / f"db_{version.replace('.', '_')}_text"
    folder.mkdir()
    for f in (ONET_DATA / folder.name).iterdir():
        (folder / f.name).symlink_to(f)
    return folder


@pytest.fixture
def settings_env(monkeypatch):
    """Set OCCURISK_* variables for one test; the settings cache is cleared before and after."""

    def set_env(**values) -> None:
        for key, value in values.items():
            monkeypatch.setenv(key, str(value))
        get_settings.cache_clear()

    yield set_env
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def landing(tmp_path, settings_env) -> Path:
    folder = tmp_path / "landing"
    folder.mkdir()
    settings_env(OCCURISK_ONET_LANDING=folder, OCCURISK_LANDING_SETTLE_S=0)
    return folder


def platform_defs():
    """The code location's Definitions (occurisk_assets.definitions): the sensor's run requests and the
    pipeline runs resolve against the real data_version_pipeline job."""
    from occurisk_assets.definitions import defs

    return defs()


class Ticks:
    """Evaluates a release sensor as the daemon does: the cursor carried over, partition requests applied."""

    def __init__(self, instance: DagsterInstance, sensor=onet_release_sensor):
        self.instance = instance
        self.sensor = sensor
        self.cursor: str | None = None

    def tick(self):
        with (
            build_sensor_context(
                instance=self.instance,
                instance_ref=self.instance.get_ref(),
                cursor=self.cursor,
                resources=resources_for_tests(),
                definitions=platform_defs(),
            ) as context,
            partition_loading_context(dynamic_partitions_store=self.instance),  # as the sensor daemon does
        ):
            data = self.sensor.evaluate_tick(context)
        for request in data.dynamic_partitions_requests or []:
            self.instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
        self.cursor = data.cursor or self.cursor
        return data

    def requested(self) -> list[str]:
        return [r.partition_key for r in self.tick().run_requests or []]


def execute(
    instance: DagsterInstance,
    request: RunRequest,
    job_name: str = "data_version_pipeline",
    run_config: dict | None = None,
) -> ExecuteInProcessResult:
    """Run what a run request asks for, in process, on `instance` (as the run launcher would)."""
    job = platform_defs().resolve_job_def(request.job_name or job_name)
    result = job.execute_in_process(
        partition_key=request.partition_key,
        instance=instance,
        tags=request.tags,
        run_config=run_config or request.run_config or None,
        raise_on_error=False,
    )
    failures = [
        f"{e.step_key}: {e.step_failure_data.error.message.strip()}"
        for e in result.all_events
        if e.is_step_failure
    ]
    assert result.success, f"{job.name} for {request.partition_key} failed: {failures}"
    return result


def _point_at(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    db.export_connection_env()


@pytest.fixture(scope="module")
def module_database(pg_server):
    """An empty database for one test module (the release flow builds on itself); the session database is
    restored afterwards."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(db.with_database(pg_server, "postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = db.with_database(pg_server, name)
    _point_at(url)
    schema.ensure_server()
    yield url
    _point_at(pg_server)
    with psycopg.connect(db.with_database(pg_server, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
