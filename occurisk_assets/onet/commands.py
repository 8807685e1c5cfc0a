import textwrap

import click

from occurisk_assets.lib import db
from occurisk_assets.lib.names import DATA_VERSION_JOB
from occurisk_assets.lib.settings import get_settings
from occurisk_assets.onet.files import SPECS
from occurisk_assets.onet.queries import occupation_detail, top_tasks
from occurisk_assets.runs import launch
from occurisk_assets.versions import active_version


def resolve_version(conn, version: str | None) -> str:
    """An explicit --version, else the active version, else the configured default release."""
    return version or active_version(conn) or get_settings().onet_default_version


@click.command("load")
@click.option(
    "--version", "version", default=None, help="O*NET version, e.g. 30.1 (default: from the source)."
)
def load(version: str | None) -> None:
    """Load one O*NET release into the raw tables (no dbt, no scoring; `occurisk pipeline` runs everything)."""
    from dagster import AssetKey

    data_version = version or get_settings().onet_default_version
    result = launch.check(
        launch.run_job(
            DATA_VERSION_JOB,
            partition_key=data_version,
            assets=[AssetKey(["onet_raw", spec.table]) for spec in SPECS],
            tags={"occurisk/trigger": "occurisk load"},
        ),
        f"loading O*NET {data_version}",
    )
    files = {
        event.asset_key.path[-1]: event.metadata
        for event in result.asset_materializations_for_node("onet_release")
    }
    present = [spec for spec in SPECS if files[spec.table]["present"].value]
    seconds = files["occupation_data"]["load_seconds"].value
    click.echo(
        f"O*NET {data_version}: {len(present)} files loaded in {seconds:.2f}s (Dagster run {result.run_id})"
    )
    for spec in SPECS:
        if not files[spec.table]["present"].value:
            click.echo(f"  absent: {spec.file_name}{' (required!)' if spec.required else ''}")


@click.command("top-tasks")
@click.argument("onetsoc_code")
@click.option("--version", default=None, help="O*NET version (default: the active one).")
@click.option("-n", "limit", default=20, show_default=True, type=click.IntRange(1, 500))
def top_tasks_command(onetsoc_code: str, version: str | None, limit: int) -> None:
    """List an occupation's tasks, most important first."""
    with db.connect() as conn:
        version = resolve_version(conn, version)
        if occupation_detail(conn, onetsoc_code, version) is None:
            raise click.ClickException(f"no occupation {onetsoc_code} in O*NET {version}")
        result = top_tasks(conn, onetsoc_code, version, limit)
    click.echo(f"{onetsoc_code}, O*NET {version} — ordered by {result.ordered_by}")
    for rank, (task_id, task_type, importance, statement) in enumerate(result.rows, start=1):
        im = f"IM {importance:.2f}" if importance is not None else (task_type or "n/a")
        click.echo(f"{rank:3}. [{task_id}] ({im}) {statement}")


@click.command("occupation")
@click.argument("onetsoc_code")
@click.option("--version", default=None, help="O*NET version (default: the active one).")
def occupation(onetsoc_code: str, version: str | None) -> None:
    """Print the detail of one occupation."""
    with db.connect() as conn:
        version = resolve_version(conn, version)
        detail = occupation_detail(conn, onetsoc_code, version)
    if detail is None:
        raise click.ClickException(f"no occupation {onetsoc_code} in O*NET {version}")
    click.echo(f"{detail['title']} ({detail['onetsoc_code']}, SOC {detail['soc_code']}), O*NET {version}")
    click.echo(textwrap.fill(detail["description"], width=100))
    click.echo(f"Job zone: {detail['job_zone'] or 'n/a'}   Tasks: {detail['n_tasks']}")
    if detail["alternate_titles"]:
        click.echo("Also called: " + "; ".join(detail["alternate_titles"]))
    for code, title in detail["related"]:
        click.echo(f"Related: {code} {title}")


commands = [load, top_tasks_command, occupation]
