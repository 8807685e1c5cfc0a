"""`occurisk db start|status|url|stop` on a server of its own (not the session's), as a person would run them."""

from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest

from occurisk_assets.lib import postgres_server
from tests.serving import free_port

OCCURISK = str(Path(sys.executable).parent / "occurisk")


def run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([OCCURISK, "db", *args], env=env, capture_output=True, text=True, timeout=120)


def passfile_url(user: str, port: int, database: str, secrets: Path, scheme: str = "postgresql") -> str:
    return f"{scheme}://{user}@127.0.0.1:{port}/{database}?" + urlencode(
        {"passfile": str(secrets / f"{user}.pgpass")}
    )


@pytest.fixture
def private_tmp():
    """Not under pytest's basetemp: a concurrent pytest session resets its root to 0700, which would take
    the server's user's way to its data folder."""
    folder = Path(tempfile.mkdtemp(prefix="occurisk-dbcli-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_db_lifecycle_on_a_private_home(private_tmp):
    tmp_path = private_tmp
    port = free_port()
    home = tmp_path / "home"
    secrets = home / "secrets"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PGPASSFILE")}
    env.update(OCCURISK_HOME=str(home), OCCURISK_PG_PORT=str(port))

    assert run(["status"], env).returncode == 3  # stopped: not initialised yet
    started = run(["start"], env)
    assert started.returncode == 0, started.stderr
    url = run(["url"], env).stdout.strip()
    assert url == passfile_url("occurisk", port, "occurisk", secrets)
    assert run(["url", "--api"], env).stdout.strip() == passfile_url(
        "occurisk_api", port, "occurisk", secrets
    )
    assert run(["url", "--dagster"], env).stdout.strip() == passfile_url(
        "occurisk_dagster", port, "dagster", secrets, "postgresql+psycopg2"
    )
    assert run(["url", "--mlflow"], env).stdout.strip() == passfile_url(
        "occurisk_mlflow", port, "mlflow", secrets, "postgresql+psycopg2"
    )
    # Secrets: one 0600 password file per role in a 0700 folder; no password in anything printed.
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o700
    files = sorted(p.name for p in secrets.iterdir())
    assert files == [
        f"{r}.pgpass"
        for r in sorted(["occurisk", "occurisk_api", "occurisk_dagster", "occurisk_mlflow", "postgres"])
    ]
    assert {stat.S_IMODE((secrets / f).stat().st_mode) for f in files} == {0o600}
    passwords = [(secrets / f).read_text().strip().rsplit(":", 1)[1] for f in files]
    assert len(set(passwords)) == 5 and all(len(p) >= 40 for p in passwords)
    printed = started.stdout + started.stderr + url + (home / "postgres" / "postgres.log").read_text()
    assert not [p for p in passwords if p in printed]

    status = run(["status"], env)
    assert status.returncode == 0 and f"running: 127.0.0.1:{port}" in status.stdout
    with psycopg.connect(url) as conn:
        databases = dict(conn.execute("SELECT datname, pg_get_userbyid(datdba) FROM pg_database").fetchall())
        search_path = conn.execute("SHOW search_path").fetchone()[0]
        role, superuser = conn.execute(
            "SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        durability = [
            conn.execute(f"SHOW {name}").fetchone()[0]
            for name in ("fsync", "full_page_writes", "synchronous_commit")
        ]
    assert {k: databases[k] for k in ("occurisk", "dagster", "mlflow")} == {
        "occurisk": "occurisk",
        "dagster": "occurisk_dagster",
        "mlflow": "occurisk_mlflow",
    }
    assert search_path == "marts, core, bls, public"
    assert durability == ["on", "on", "on"]  # a real server is crash-safe; only the tests' is not
    assert (role, superuser) == ("occurisk", False)  # the platform never connects as a superuser
    assert revision == run(["migrate"], env).stdout.strip().rsplit(" ", 1)[1]
    # Without the password nobody gets in, the superuser included, replication included.
    for attempt in (
        f"postgresql://postgres@127.0.0.1:{port}/postgres",
        f"postgresql://occurisk@127.0.0.1:{port}/occurisk",
    ):
        with pytest.raises(psycopg.OperationalError, match="password"):
            psycopg.connect(attempt, passfile="/dev/null", connect_timeout=5)
    hba = (home / "postgres" / "data" / "pg_hba.conf").read_text()
    assert [line.split() for line in hba.splitlines() if line and not line.startswith("#")] == [
        ["host", "all", "all", "127.0.0.1/32", "scram-sha-256"]
    ]
    if os.geteuid() == 0:  # PostgreSQL refuses root: the data folder belongs to the unprivileged server user
        owner = pwd.getpwuid((home / "postgres" / "data").stat().st_uid).pw_name
        assert owner == "occurisk-pg"
        # A second OS user can read neither the password files nor connect without them.
        psql = str(postgres_server._bin_dir() / "psql")
        other = subprocess.run(
            [
                psql,
                "-w",
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "postgres",
                "-d",
                "postgres",
                "-c",
                "select 1",
            ],
            # Wholly another user: with root's groups kept it would be refused at a 0700 root-group folder
            # above the clone (mktemp -d), not by the server.
            user="nobody",
            group=pwd.getpwnam("nobody").pw_gid,
            extra_groups=[],
            env={"PGPASSFILE": str(secrets / "postgres.pgpass"), "PATH": "/usr/bin:/bin"},
            cwd="/",
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert other.returncode != 0
        assert "no password supplied" in other.stderr or "password authentication failed" in other.stderr
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


def test_a_cluster_from_before_passwords_is_converted(private_tmp):
    tmp_path = private_tmp
    """A local server made when every loopback user was trusted and everything belonged to the superuser:
    its next start requires passwords and hands each database, with its tables, to its role."""
    server = postgres_server.LocalServer(
        pgdata=tmp_path / "home" / "postgres" / "data", port=free_port(), fast=True
    )
    server.start()
    hba = server.pgdata / "pg_hba.conf"
    try:
        with psycopg.connect(server.url("postgres", "postgres"), autocommit=True) as admin:
            admin.execute("CREATE DATABASE occurisk OWNER postgres")
        with psycopg.connect(server.url("occurisk", "postgres"), autocommit=True) as conn:
            conn.execute(
                "CREATE SCHEMA core; CREATE TABLE core.model_run (run_id bigint GENERATED ALWAYS AS IDENTITY)"
            )
            conn.execute("CREATE FUNCTION core.f() RETURNS int LANGUAGE sql AS 'SELECT 1'")
        hba.write_text("host all all 127.0.0.1/32 trust\n")  # as the cluster was made then
        server.stop()

        server.start()
        server.provision_databases({"occurisk": "occurisk"})
        assert [line for line in hba.read_text().splitlines() if not line.startswith("#")] == [
            "host    all       all   127.0.0.1/32  scram-sha-256"
        ]
        with pytest.raises(psycopg.OperationalError, match="password"):
            psycopg.connect(server.url("postgres", "postgres", with_passfile=False), passfile="/dev/null")
        with psycopg.connect(server.url("occurisk")) as conn:
            owners = conn.execute(
                """SELECT pg_get_userbyid(datdba), (SELECT pg_get_userbyid(relowner) FROM pg_class
                          WHERE oid = 'core.model_run'::regclass),
                          (SELECT pg_get_userbyid(proowner) FROM pg_proc WHERE proname = 'f')
                   FROM pg_database WHERE datname = 'occurisk'"""
            ).fetchone()
            conn.execute("INSERT INTO core.model_run DEFAULT VALUES")  # the owner's now, identity included
        assert owners == ("occurisk", "occurisk", "occurisk")
    finally:
        server.stop()
