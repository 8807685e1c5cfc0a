"""`occurisk pipeline --version 30.1` as a person runs it: a subprocess, Dagster's storage in PostgreSQL
(the repo's dagster.yaml), the whole graph on the real 30.1 release with no API key. Twice."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from occurisk_assets.lib import db, roles
from occurisk_assets.lib.settings import PROJECT_ROOT

# Builds whole releases end to end (minutes): started first, see tests/conftest.py.
pytestmark = pytest.mark.builds_releases

OCCURISK = str(Path(sys.executable).parent / "occurisk")
TABLES = (
    "onet_raw.task_statements",
    "marts.occupation_master",
    "marts.task_catalog",
    "marts.occupation_task_weight",
    "core.task_ai_score",
    "marts.task_ai_ensemble",
    "marts.occupation_ai_score",
    "bls.soc_bls_link",
)


def table_counts(conn) -> dict[str, int]:
    return {
        t: conn.execute(f"SELECT count(*) FROM {t} WHERE data_version = '30.1'").fetchone()[0] for t in TABLES
    }


def test_pipeline_twice_through_the_cli(fresh_database, tmp_path):
    """Slow by its point (two whole builds, a few minutes): the first run starts from an empty database as a
    person's first `make run` does, and only a second whole run shows that re-running duplicates nothing."""
    dagster_home = tmp_path / "dagster_home"
    dagster_home.mkdir()
    shutil.copy(PROJECT_ROOT / "dagster.yaml", dagster_home / "dagster.yaml")
    env = dict(os.environ, DAGSTER_HOME=str(dagster_home))
    # Dagster's own role owns its database: an empty storage is an emptied schema, made by that role.
    dagster_url = roles.role_url(db.with_database(fresh_database, "dagster"), roles.DAGSTER)
    with psycopg.connect(dagster_url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")

    first = subprocess.run(
        [OCCURISK, "pipeline", "--version", "30.1"], env=env, capture_output=True, text=True, timeout=1200
    )
    assert first.returncode == 0, first.stderr[-3000:]
    assert "Top 10 occupations by AI-replacement risk" in first.stdout
    ranking = [line for line in first.stdout.splitlines() if line.startswith(("   1. ", "  10. "))]
    assert len(ranking) == 2

    with db.connect() as conn:
        counts = table_counts(conn)
        weight_sums = conn.execute(
            """SELECT count(*), max(abs(s - 1)) FROM (SELECT sum(weight) s FROM marts.occupation_task_weight
               WHERE data_version = '30.1' GROUP BY soc_code) w"""
        ).fetchone()
        raters = conn.execute(
            "SELECT array_agg(DISTINCT model ORDER BY model) FROM core.model_run "
            "WHERE data_version = '30.1' AND status = 'completed'"
        ).fetchone()[0]
        active = conn.execute("SELECT id FROM core.data_version WHERE is_active").fetchone()[0]
    assert counts["onet_raw.task_statements"] == counts["marts.task_catalog"] == 18796
    assert counts["marts.occupation_master"] == 1016
    assert counts["marts.occupation_task_weight"] == 18796
    assert weight_sums[0] == counts["marts.occupation_ai_score"] and weight_sums[1] < 1e-9
    assert raters == ["published:gpt4_exposure", "published:human_exposure"]
    assert counts["core.task_ai_score"] == 2 * counts["marts.task_ai_ensemble"]
    assert active == "30.1"

    second = subprocess.run(
        [OCCURISK, "pipeline", "--version", "30.1"], env=env, capture_output=True, text=True, timeout=1200
    )
    assert second.returncode == 0, second.stderr[-3000:]
    with db.connect() as conn:
        assert table_counts(conn) == counts
    # Both runs are recorded in Dagster's own database on the same server.
    with psycopg.connect(dagster_url) as conn:
        runs = conn.execute(
            "SELECT count(*) FROM runs WHERE pipeline_name = 'data_version_pipeline' AND status = 'SUCCESS'"
        ).fetchone()[0]
    assert runs == 2

    top = subprocess.run(
        [OCCURISK, "top-tasks", "11-1011.00", "--version", "30.1", "-n", "5"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert top.returncode == 0 and len(top.stdout.splitlines()) == 6
