"""`occurisk dbt-parse`: write dbt_project/target/manifest.json, which the dbt assets need to load.

`dbt parse` reads no database, so this works before any server exists (`make install` runs it).
"""

from __future__ import annotations

import subprocess

import click

from occurisk_assets.dbt.project import DBT_PROJECT_DIR, dbt_executable, parse_command


@click.command("dbt-parse")
@click.option(
    "--target-path",
    default="target",
    show_default=True,
    help="Where dbt writes manifest.json, relative to dbt_project/.",
)
def dbt_parse(target_path: str) -> None:
    """Parse the dbt project into its manifest (no database needed)."""
    result = subprocess.run(
        parse_command(dbt_executable(), target_path),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise click.ClickException(f"dbt parse failed:\n{result.stdout}{result.stderr}")
    click.echo(f"dbt manifest written: {DBT_PROJECT_DIR / target_path / 'manifest.json'}")


commands = [dbt_parse]
