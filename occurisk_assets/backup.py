"""`occurisk backup` and `occurisk restore-db`: the whole platform database to one pg_dump file and back.

A backup is a pg_dump custom-format archive (compressed, restorable table by table), written 0600 to
OCCURISK_HOME/backups/ unless a path is given. It holds no roles or privileges: restoring gives the owner
every object and re-applies the migrations and the API role's grants, so a dump moves between the local
server and a managed one. `occurisk archive`/`restore` (retention) is the other tool: it moves single
versions and runs, not the database.
"""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import click
import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from occurisk_assets.lib import db, postgres_server, roles, schema
from occurisk_assets.lib.settings import get_settings


class BackupError(Exception):
    pass


def _tool(name: str) -> str:
    return str(postgres_server._bin_dir() / name)


def _run(args: list[str]) -> subprocess.CompletedProcess:
    result = subprocess.run(args, capture_output=True, text=True)
    if result.returncode != 0:
        # pg_dump/pg_restore say what failed on stderr; their last line is the useful one.
        lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
        raise BackupError(
            f"{Path(args[0]).name} failed: {lines[-1] if lines else 'exit ' + str(result.returncode)}"
        )
    return result


def backup_database(url: str, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    try:
        _run(
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={partial}",
                "-d",
                url,
            ]
        )
        partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def restore_database(url: str, dump: Path) -> None:
    """Replace the database of `url` by the dump's content (the database is dropped and made again)."""
    _run(
        [_tool("pg_restore"), "--list", str(dump)]
    )  # a truncated or foreign file fails here, before any drop
    name = conninfo_to_dict(url)["dbname"]
    with psycopg.connect(db.with_database(url, "postgres"), autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    _run(
        [
            _tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "-d",
            url,
            str(dump),
        ]
    )


@click.command("backup")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The dump file (default OCCURISK_HOME/backups/occurisk-<time>.dump).",
)
def backup(output: Path | None) -> None:
    """Dump the whole platform database (pg_dump, custom format) to one file."""
    settings = get_settings()
    url = schema.ensure_server(settings)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = output or settings.home / "backups" / f"{settings.pg_database}-{stamp}.dump"
    try:
        path = backup_database(url, target)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"backup of {roles.redact(url)} written to {path} ({path.stat().st_size:,} bytes)")


@click.command("restore-db")
@click.argument("dump", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the platform database without asking.")
def restore_db(dump: Path, yes: bool) -> None:
    """Replace the platform database by a backup made with `occurisk backup`, then migrate it."""
    settings = get_settings()
    url = schema.ensure_server(settings)
    if not yes:
        click.confirm(f"Replace everything in {roles.redact(url)} by {dump}?", abort=True)
    try:
        restore_database(url, dump)
    except BackupError as exc:
        raise click.ClickException(f"{dump}: {exc}") from exc
    schema.ensure_server(settings)  # search_path, newer migrations, the API role's grants
    with db.connect(url) as conn:
        versions = conn.execute("SELECT count(*) FROM core.data_version").fetchone()[0]
    click.echo(f"restored {dump} into {roles.redact(url)} ({versions} O*NET versions)")


commands = [backup, restore_db]
