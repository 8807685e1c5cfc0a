"""`occurisk` — everything a person or a script does outside the Dagster UI.

Each domain owns its commands (a `commands` list in `<domain>/commands.py`); this module only assembles
them into one command group, importing a domain only when one of its commands runs (Dagster, dbt and
SciPy take seconds to import; `occurisk db url` should not wait for them).
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass

import click

from occurisk_assets.lib import db, postgres_server, roles, schema
from occurisk_assets.lib.settings import get_settings

_ONET, _LIFECYCLE, _SCORING = (
    "occurisk_assets.onet.commands",
    "occurisk_assets.lifecycle.commands",
    "occurisk_assets.scoring.commands",
)


@dataclass(frozen=True)
class Subcommand:
    module: str  # the module whose `commands` list holds the command, imported only to run it
    summary: str  # its line in `occurisk --help` (the first sentence of its docstring)


# Written out here so that `occurisk --help` imports no domain; tests/test_cli.py checks both stay true.
COMMANDS = {
    "pipeline": Subcommand(
        "occurisk_assets.runs.pipeline",
        "Load an O*NET release and build everything derived from it, as one Dagster run.",
    ),
    "up": Subcommand(
        "occurisk_assets.runs.pipeline",
        "Serve the Dagster UI (127.0.0.1:3000) and the API (127.0.0.1:8000) until Ctrl-C.",
    ),
    "load": Subcommand(
        _ONET,
        "Load one O*NET release into the raw tables (no dbt, no scoring; `occurisk pipeline` runs everything).",
    ),
    "top-tasks": Subcommand(_ONET, "List an occupation's tasks, most important first."),
    "occupation": Subcommand(_ONET, "Print the detail of one occupation."),
    "dbt-parse": Subcommand(
        "occurisk_assets.dbt.commands", "Parse the dbt project into its manifest (no database needed)."
    ),
    "score": Subcommand(
        _SCORING,
        "Score tasks of the catalog with LLMs or the published raters (runs are resumable; calls are cached).",
    ),
    "runs": Subcommand(_SCORING, "Scoring runs (core.model_run)."),
    "mlflow-ui": Subcommand(
        _SCORING, "Open the MLflow UI on the scoring runs (tracking store: the `mlflow` database)."
    ),
    "bls-load": Subcommand(
        "occurisk_assets.bls.commands",
        "Load BLS data into the `bls` schema, from the BLS data folder (../shared/data/bls), the landing "
        "folder, or bls.gov.",
    ),
    "versions": Subcommand(
        _LIFECYCLE, "O*NET data versions: list them, choose the active one, read their diff reports."
    ),
    "rescore": Subcommand(
        _LIFECYCLE,
        "Re-score a version's tasks (calls are cached: only new or changed prompts are paid for), then "
        "rebuild its ensembles, occupation scores, diff report and activation — one Dagster run of "
        "rescore_active_version.",
    ),
    "archive": Subcommand(
        _LIFECYCLE,
        "Export older O*NET versions and scoring runs to the archive folder, then delete them from the "
        "database.",
    ),
    "restore": Subcommand(
        _LIFECYCLE, "Put an archived O*NET version or set of scoring runs back into the database."
    ),
    "metrics": Subcommand(
        "occurisk_assets.runs.metrics", "Prometheus exporters for what the API's /metrics cannot read."
    ),
    "serve": Subcommand("api.commands", "Serve the read API (OpenAPI docs at /docs) on HOST:PORT."),
    "backup": Subcommand(
        "occurisk_assets.backup", "Dump the whole platform database (pg_dump, custom format) to one file."
    ),
    "restore-db": Subcommand(
        "occurisk_assets.backup",
        "Replace the platform database by a backup made with `occurisk backup`, then migrate it.",
    ),
    "coder": Subcommand("occurisk_assets.coder.commands", "The occupation coder (free text → SOC code)."),
    "postings": Subcommand(
        "occurisk_assets.postings.commands",
        "Job postings: import files, crawl job boards politely, fetch USAJOBS, clean and code them.",
    ),
}


class DomainCommands(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *COMMANDS])

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from COMMANDS, without importing the modules that define them."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            command = (
                click.Command(name, short_help=COMMANDS[name].summary)
                if name in COMMANDS
                else super().get_command(ctx, name)
            )
            rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context):
        """Every failure ends in one line naming what failed (the file and line where there is one);
        OCCURISK_DEBUG=1 shows the traceback instead."""
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:
            if os.environ.get("OCCURISK_DEBUG"):
                raise
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise click.ClickException(
                f"{message} ({type(exc).__name__}; OCCURISK_DEBUG=1 shows more)"
            ) from exc

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in COMMANDS:
            module = importlib.import_module(COMMANDS[name].module)
            return next(command for command in module.commands if command.name == name)
        return super().get_command(ctx, name)


@click.group(cls=DomainCommands)
def main() -> None:
    """occurisk: AI-replacement risk of occupations and their tasks (O*NET + BLS)."""
    # What this process runs (dbt, dagster, uvicorn) reads the connection from the environment.
    db.export_connection_env()


@main.group("db")
def db_group() -> None:
    """The local PostgreSQL server (ignored when DATABASE_URL is set)."""


@db_group.command("start")
def db_start() -> None:
    """Start the local server (initialising it on first use) and create the databases."""
    url = schema.ensure_server()
    click.echo(f"PostgreSQL ready: {roles.redact(url)}")


@db_group.command("stop")
def db_stop() -> None:
    """Stop the local server."""
    if get_settings().database_url:
        raise click.ClickException("DATABASE_URL is set: that server is not ours to stop")
    postgres_server.local_server().stop()
    click.echo("PostgreSQL stopped")


@db_group.command("status")
def db_status() -> None:
    """Say whether the server is running, where, and which data folder it uses."""
    settings = get_settings()
    if settings.database_url:
        click.echo(f"external server (DATABASE_URL): {roles.redact(db.database_url(settings))}")
        return
    server = postgres_server.local_server(settings)
    state = "running" if server.is_running() else "stopped"
    click.echo(f"local server {state}: 127.0.0.1:{server.port}, data in {server.pgdata}")
    if server.is_running():
        raise SystemExit(0)
    raise SystemExit(3)


@db_group.command("url")
@click.option("--api", "role", flag_value="api", help="The read-only API role's URL.")
@click.option("--dagster", "role", flag_value="dagster", help="Dagster's (its own role and database).")
@click.option("--mlflow", "role", flag_value="mlflow", help="MLflow's (its own role and database).")
def db_url(role: str | None) -> None:
    """Print a connection string: the owner's (the pipeline's) by default. Local URLs name the role's
    password file (?passfile=...), never the password: `psql "$(occurisk db url)"` works for you alone."""
    settings = get_settings()
    if role == "api":
        click.echo(db.api_database_url(settings))
    elif role == "dagster":
        click.echo(db.sqlalchemy_url(db.dagster_database_url(settings)))
    elif role == "mlflow":
        click.echo(db.sqlalchemy_url(db.mlflow_database_url(settings)))
    else:
        click.echo(db.database_url(settings))


@db_group.command("migrate")
def db_migrate() -> None:
    """Create or change the platform's tables to the newest migration (the pipeline and `db start` do it)."""
    url = schema.ensure_server()
    with db.connect(url) as conn:
        click.echo(f"database migrated to revision {schema.current_revision(conn)}")
