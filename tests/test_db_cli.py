"""`occurisk db start|status|url|stop` on a server of its own (not the session's), as a person would run them."""

from __future__ import annotations

import os
import pwd
import subprocess
import sys
from pathlib import Path

import psycopg

from tests.conftest import _free_port

OCCURISK = str(Path(sys.executable).parent / "occurisk")


def run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([OCCURISK, "db", *args], env=env, capture_output=True, text=True, timeout=120)


def test_db_lifecycle_on_a_private_home(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(OCCURISK_HOME=str(tmp_path / "home"), OCCURISK_PG_PORT=str(port))

    assert run(["status"], env).returncode == 3  # stopped: not initialised yet
    started = run(["start"], env)
    assert started.returncode == 0, started.stderr
    url = run(["url"], env).stdout.strip()
    assert url == f"postgresql://postgres@127.0.0.1:{port}/occurisk"
    assert (
        run(["url", "--dagster"], env).stdout.strip()
        == f"postgresql+psycopg2://postgres@127.0.0.1:{port}/dagster"
    )
    status = run(["status"], env)
    assert status.returncode == 0 and f"running: 127.0.0.1:{port}" in status.stdout
    with psycopg.connect(url) as conn:
        databases = {r[0] for r in conn.execute("SELECT datname FROM pg_database")}
        search_path = conn.execute("SHOW search_path").fetchone()[0]
        server_user = conn.execute(
            "SELECT usename FROM pg_stat_activity WHERE pid = pg_backend_pid()"
        ).fetchone()[0]
    assert {"occurisk", "dagster", "mlflow"} <= databases
    assert search_path == "marts, core, bls, public"
    assert server_user == "postgres"
    if os.geteuid() == 0:  # PostgreSQL refuses root: the data folder belongs to the unprivileged server user
        owner = pwd.getpwuid((tmp_path / "home" / "postgres" / "data").stat().st_uid).pw_name
        assert owner == "occurisk-pg"
    assert run(["start"], env).returncode == 0  # idempotent
    assert run(["stop"], env).returncode == 0
    assert run(["status"], env).returncode == 3
    assert run(["start"], env).returncode == 0  # restarts on the existing data
    assert run(["stop"], env).returncode == 0


def test_db_stop_refuses_an_external_server(pg_server):
    env = dict(os.environ, DATABASE_URL=pg_server)
    result = run(["stop"], env)
    assert result.returncode != 0 and "not ours to stop" in result.stderr
    assert run(["url"], env).stdout.strip() == pg_server
