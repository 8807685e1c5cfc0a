"""The retention job on raw releases only (no marts, no scoring tables yet): the active version is kept
even when it is the oldest, the archived version comes back whole."""

from __future__ import annotations

import gzip
import json

from occurisk_assets.defs.lifecycle.jobs import retention_job
from occurisk_assets.lib import db
from occurisk_assets.lifecycle.activation import activate
from occurisk_assets.lifecycle.archive import restore_archive
from occurisk_assets.lifecycle.retention import plan_retention
from occurisk_assets.onet.loader import load_release
from occurisk_assets.onet.sources import Release, resolve_release
from occurisk_assets.versions import mark_complete, mark_failed
from tests.conftest import ONET_DATA
from tests.resources import resources_for_tests


def _rows(version: str) -> dict[str, int]:
    with db.connect() as conn:
        parents = [
            r[0]
            for r in conn.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'onet_raw' AND c.relkind = 'p' ORDER BY 1"
            )
        ]
        return {
            t: n
            for t in parents
            if (
                n := conn.execute(
                    f"SELECT count(*) FROM onet_raw.{t} WHERE data_version = %s", (version,)
                ).fetchone()[0]
            )
        }


def test_retention_job_keeps_the_active_oldest_version_and_restores(fresh_database, settings_env, tmp_path):
    settings_env(OCCURISK_ARCHIVE_DIR=tmp_path / "archive", OCCURISK_RETENTION_KEEP_VERSIONS=1)
    for version in ("29.1", "30.0", "30.1"):
        load_release(resolve_release(version))
    # A newer release whose build failed: not the "newest version" retention keeps, and not archived.
    load_release(Release(ONET_DATA / "db_30_1_text", "30.2", "a failed build", None))
    with db.connect() as conn:
        for version in ("29.1", "30.0", "30.1"):
            mark_complete(conn, version)  # their builds finished (raw tables only: nothing else is needed)
        mark_failed(conn, "30.2", "dbt failed")
        activate(conn, "29.1")
    rows_30_0 = _rows("30.0")
    assert rows_30_0["task_statements"] == 18797

    dry = retention_job.execute_in_process(
        run_config={"ops": {"apply_retention_op": {"config": {"dry_run": True}}}},
        resources=resources_for_tests(),
    )
    assert dry.success
    assert _rows("30.0") == rows_30_0 and not (tmp_path / "archive").exists()

    result = retention_job.execute_in_process(resources=resources_for_tests())
    assert result.success
    [archive] = list((tmp_path / "archive").iterdir())
    assert archive.name.startswith("onet-30.0-")
    assert _rows("30.0") == {} and _rows("29.1") != {} and _rows("30.1") != {}
    with db.connect() as conn:
        assert [r[0] for r in conn.execute("SELECT id FROM core.data_version ORDER BY id")] == [
            "29.1",
            "30.1",
            "30.2",
        ]
        assert (
            conn.execute("SELECT count(*) FROM pg_tables WHERE tablename LIKE '%%\\_\\_v30\\_0'").fetchone()[
                0
            ]
            == 0
        )
    manifest = json.loads((archive / "manifest.json").read_text())
    statements = next(t for t in manifest["tables"] if t["table"] == "task_statements")
    with gzip.open(archive / statements["file"], "rt") as fh:
        assert sum(1 for _ in fh) == 18797 + 1  # CSV header + rows (no task text holds a line break)

    with db.connect() as conn:
        restored = restore_archive(conn, archive)
    assert restored["onet_raw.task_statements"] == 18797 and restored["core.data_version"] == 1
    assert _rows("30.0") == rows_30_0


def test_runs_are_kept_per_version_and_only_complete_versions_count(fresh_database):
    with db.connect() as conn:
        for version, status in (
            ("29.1", "complete"),
            ("30.0", "complete"),
            ("30.1", "complete"),
            ("30.2", "failed"),
        ):
            conn.execute(
                "INSERT INTO core.data_version (id, loaded_at, build_status) VALUES (%s, now(), %s)",
                (version, status),
            )
        conn.execute("UPDATE core.data_version SET is_active = true WHERE id = '30.1'")
        # One model: its only run of 30.0 is older than four runs of 30.1.
        for hour, version in enumerate(["30.0", "30.1", "30.1", "30.1", "30.1"]):
            conn.execute(
                """INSERT INTO core.model_run (model, provider, model_version, prompt_version, data_version, mode,
                       status, n_tasks, selection_hash, created_at)
                   VALUES ('m', 'p', '1', 'v1', %s, 'published', 'completed', 1, 'all', %s)""",
                (version, f"2026-01-01 {hour:02}:00+00"),
            )
        plan = plan_retention(conn, keep_versions=2, keep_runs=3)
        first_30_1 = conn.execute(
            "SELECT min(run_id) FROM core.model_run WHERE data_version = '30.1'"
        ).fetchone()[0]
    # Newest two complete versions: 30.1 and 30.0 (the failed 30.2 does not count and stays).
    assert plan.versions == ["29.1"] and plan.not_counted == ["30.2"]
    # 30.0 keeps its only run; 30.1 keeps its newest three.
    assert [(r.run_id, r.data_version) for r in plan.runs] == [(first_30_1, "30.1")]
