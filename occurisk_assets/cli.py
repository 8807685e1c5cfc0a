"""`occurisk` — everything a person or a script does outside the Dagster UI.

Each domain owns its commands (a `commands` list in `<domain>/commands.py`); this module only
assembles them into one command group.
"""

from __future__ import annotations

import importlib

import click

from occurisk_assets import db
from occurisk_assets.settings import get_settings

DOMAIN_COMMAND_MODULES = [
    "occurisk_assets.defs.onet.commands",
    "occurisk_assets.defs.dbt.commands",
    "occurisk_assets.defs.scoring.commands",
    "occurisk_assets.defs.bls.commands",
    "occurisk_assets.defs.lifecycle.commands",
    "occurisk_assets.pipeline",
    "api.commands",
]


@click.group()
def main() -> None:
    """occurisk: AI-replacement risk of occupations and their tasks (O*NET + BLS)."""


@main.group("db")
def db_group() -> None:
    """The local PostgreSQL server (ignored when DATABASE_URL is set)."""


@db_group.command("start")
def db_start() -> None:
    """Start the local server (initialising it on first use) and create the databases."""
    url = db.ensure_server()
    click.echo(f"PostgreSQL ready: {url}")


@db_group.command("stop")
def db_stop() -> None:
    """Stop the local server."""
    if get_settings().database_url:
        raise click.ClickException("DATABASE_URL is set: that server is not ours to stop")
    db.local_server().stop()
    click.echo("PostgreSQL stopped")


@db_group.command("status")
def db_status() -> None:
    """Say whether the server is running, where, and which data folder it uses."""
    settings = get_settings()
    if settings.database_url:
        click.echo(f"external server (DATABASE_URL): {db.database_url(settings)}")
        return
    server = db.local_server(settings)
    state = "running" if server.is_running() else "stopped"
    click.echo(f"local server {state}: 127.0.0.1:{server.port}, data in {server.pgdata}")
    if server.is_running():
        raise SystemExit(0)
    raise SystemExit(3)


@db_group.command("url")
@click.option("--dagster", is_flag=True, help="The URL of Dagster's own database instead.")
def db_url(dagster: bool) -> None:
    """Print the connection string."""
    settings = get_settings()
    if dagster:
        click.echo(db.sqlalchemy_url(db.database_url(settings, settings.dagster_database)))
    else:
        click.echo(db.database_url(settings))


def _register_domain_commands() -> None:
    for module_name in DOMAIN_COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue  # domain not built yet
            raise
        for command in module.commands:
            main.add_command(command)


_register_domain_commands()
