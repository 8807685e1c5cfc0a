"""Backups: `occurisk backup` / `occurisk restore-db` round trip the whole database; restoring an archive into
an empty database moves the identity sequences past the restored ids, so the next scoring run gets a new id."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import psycopg

from occurisk_assets.lib import roles, schema
from occurisk_assets.lifecycle.archive import restore_archive, write_archive
from occurisk_assets.lifecycle.retention import run_slices
from occurisk_assets.onet.loader import load_release
from occurisk_assets.onet.sources import resolve_release
from tests.conftest import isolated_database

OCCURISK = str(Path(sys.executable).parent / "occurisk")
NEW_RUN = """INSERT INTO core.model_run (model, provider, model_version, prompt_version, data_version, mode,
                 status, n_tasks, selection_hash) VALUES ('m', 'p', '1', 'v1', '30.1', 'published', 'completed', 1, 'all')
             RETURNING run_id"""


def occurisk(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [OCCURISK, *args], env=dict(os.environ), capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return result


def counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in (
                "core.data_version",
                "core.release_files",
                "onet_raw.task_statements",
                "core.model_run",
            )
        }


def test_backup_and_restore_db_round_trip(fresh_database, tmp_path):
    load_release(resolve_release("30.1"))
    with psycopg.connect(fresh_database) as conn:
        last_run = [conn.execute(NEW_RUN).fetchone()[0] for _ in range(3)][-1]
    before = counts(fresh_database)
    dump = tmp_path / "occurisk.dump"

    occurisk("backup", "--output", str(dump))
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600 and dump.stat().st_size > 100_000
    with psycopg.connect(fresh_database) as conn:  # what the backup must undo
        conn.execute("DELETE FROM core.data_version")
        conn.execute("DELETE FROM core.model_run")
    restored = occurisk("restore-db", str(dump), "--yes")

    assert "restored" in restored.stdout and "(1 O*NET versions)" in restored.stdout
    assert counts(fresh_database) == before == {**before, "onet_raw.task_statements": 18796}
    with psycopg.connect(fresh_database) as conn:
        assert schema.current_revision(conn) == schema.alembic_heads()[0]
        assert conn.execute(NEW_RUN).fetchone()[0] == last_run + 1
    with psycopg.connect(roles.role_url(fresh_database, roles.API)) as api:  # its grants came back
        assert api.execute("SELECT id FROM core.data_version").fetchall() == [("30.1",)]


def test_a_truncated_backup_is_refused_and_the_database_kept(fresh_database, tmp_path):
    load_release(resolve_release("30.1"))
    dump = tmp_path / "occurisk.dump"
    occurisk("backup", "--output", str(dump))
    dump.write_bytes(dump.read_bytes()[:1000])
    result = subprocess.run(
        [OCCURISK, "restore-db", str(dump), "--yes"], env=dict(os.environ), capture_output=True, text=True
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith(f"Error: {dump}: pg_restore failed:")
    assert counts(fresh_database)["onet_raw.task_statements"] == 18796


def test_restoring_runs_into_an_empty_database_then_scoring_gets_new_ids(fresh_database, pg_server, tmp_path):
    with psycopg.connect(fresh_database) as conn:
        run_ids = [conn.execute(NEW_RUN).fetchone()[0] for _ in range(3)]
        folder, _ = write_archive(
            conn, tmp_path, "runs", "runs", run_slices(conn, run_ids), {"run_ids": run_ids}
        )
    with isolated_database(pg_server) as empty, psycopg.connect(empty) as conn:
        restored = restore_archive(conn, folder)
        assert restored["core.model_run"] == 3
        # The next run: before the fix, a duplicate key on run_id 1.
        assert conn.execute(NEW_RUN).fetchone()[0] == max(run_ids) + 1
