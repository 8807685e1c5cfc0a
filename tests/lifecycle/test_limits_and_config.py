"""Schedules and limits: the scoring pool of the repository's dagster.yaml, the configurable sensor interval
and re-scoring cron, the O*NET page parser."""

from __future__ import annotations

import os
import subprocess
import sys

import yaml
from dagster import instance_for_test

from occurisk_assets.lib.settings import PROJECT_ROOT
from occurisk_assets.lifecycle.landing import page_versions
from tests.lifecycle.conftest import platform_defs


def test_scoring_steps_run_one_at_a_time_across_runs():
    job = platform_defs().resolve_job_def("data_version_pipeline")
    assert job.graph.node_named("core__task_ai_score").definition.pool == "llm_scoring"
    rescore = platform_defs().resolve_job_def("rescore_active_version")
    assert rescore.graph.node_named("core__task_ai_score").definition.pool == "llm_scoring"
    concurrency = yaml.safe_load((PROJECT_ROOT / "dagster.yaml").read_text())["concurrency"]
    with instance_for_test(overrides={"concurrency": concurrency}) as instance:
        info = instance.event_log_storage.get_concurrency_info("llm_scoring")
        assert (info.limit, info.using_default_limit) == (1, True)
        queue = instance.get_concurrency_config().run_queue_config
        assert queue.max_concurrent_runs == 2
        # One release build at a time (a backfill of releases builds them one after the other).
        assert job.tags["occurisk/release_build"] == "true"
        assert queue.tag_concurrency_limits == [{"key": "occurisk/release_build", "limit": 1}]


def test_sensor_interval_and_rescore_cron_come_from_the_environment():
    probe = (
        "from occurisk_assets.definitions import defs; r = defs().get_repository_def(); "
        "print(r.get_sensor_def('onet_release_sensor').minimum_interval_seconds, "
        "r.get_schedule_def('weekly_rescore').cron_schedule)"
    )
    env = {**os.environ, "OCCURISK_RELEASE_SENSOR_INTERVAL_S": "45", "OCCURISK_RESCORE_CRON": "30 4 * * 0"}
    configured = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300
    )
    assert configured.stdout.split("\n")[-2] == "45 30 4 * * 0", configured.stderr
    defaults = platform_defs().get_repository_def()
    assert defaults.get_sensor_def("onet_release_sensor").minimum_interval_seconds == 300
    assert defaults.get_schedule_def("weekly_rescore").cron_schedule == "0 3 * * 1"


def test_the_database_page_links_are_read_as_versions():
    html = """<p><a href="/dl_files/database/db_30_1_text.zip">Text</a> <a href='db_30_1_excel.zip'>Excel</a>
              <a HREF="https://mirror.example/x/db_29_3_text.zip">old</a> <a href="/database/db_30_1_mysql.zip"></a>"""
    assert page_versions(html, "https://www.onetcenter.org/database.html") == {
        "30.1": "https://www.onetcenter.org/dl_files/database/db_30_1_text.zip",
        "29.3": "https://mirror.example/x/db_29_3_text.zip",
    }
