"""The retention job on raw releases only (no marts, no scoring tables yet): the active version is kept
even when it is the oldest, the archived version comes back whole."""

from __future__ import annotations

import gzip
import json

from occurisk_assets import db
from occurisk_assets.defs.lifecycle.activation import activate
from occurisk_assets.defs.lifecycle.archive import restore_archive
from occurisk_assets.defs.lifecycle.jobs import retention_job
from occurisk_assets.defs.onet.loader import load_release
from occurisk_assets.defs.onet.sources import resolve_release


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
    with db.connect() as conn:
        activate(conn, "29.1")
    rows_30_0 = _rows("30.0")
    assert rows_30_0["task_statements"] == 18797

    dry = retention_job.execute_in_process(
        run_config={"ops": {"apply_retention_op": {"config": {"dry_run": True}}}}
    )
    assert dry.success
    assert _rows("30.0") == rows_30_0 and not (tmp_path / "archive").exists()

    result = retention_job.execute_in_process()
    assert result.success
    [archive] = list((tmp_path / "archive").iterdir())
    assert archive.name.startswith("onet-30.0-")
    assert _rows("30.0") == {} and _rows("29.1") != {} and _rows("30.1") != {}
    with db.connect() as conn:
        assert [r[0] for r in conn.execute("SELECT id FROM core.data_version ORDER BY id")] == [
            "29.1",
            "30.1",
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
