import click

from occurisk_assets import db
from occurisk_assets.defs.lifecycle.activation import UnknownVersion, activate, list_versions


@click.group("versions")
def versions() -> None:
    """O*NET data versions: list them, choose the active one."""


@versions.command("list")
def versions_list() -> None:
    with db.connect() as conn:
        rows = list_versions(conn)
    if not rows:
        click.echo("no version loaded yet")
    for version, release_date, is_active, loaded_at, source, notes in rows:
        mark = "*" if is_active else " "
        click.echo(f"{mark} {version:6} released {str(release_date or 'unknown'):10}  loaded {loaded_at:%Y-%m-%d %H:%M}"
                   f"  {source or ''}{'  — ' + notes if notes else ''}")


@versions.command("activate")
@click.argument("version")
def versions_activate(version: str) -> None:
    """Make VERSION the active one (what the API serves by default)."""
    with db.connect() as conn:
        try:
            activate(conn, version)
        except UnknownVersion as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"O*NET {version} is now active")


commands = [versions]
