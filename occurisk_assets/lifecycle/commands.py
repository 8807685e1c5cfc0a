"""`occurisk versions list|activate|diff`, `occurisk rescore`, `occurisk archive`, `occurisk restore`.

Light at import (no Dagster, no SciPy): `occurisk versions list` answers at once; the commands that need
them import them when they run.
"""

from pathlib import Path

import click

from occurisk_assets.lib import db, schema
from occurisk_assets.lib.settings import get_settings
from occurisk_assets.lifecycle.activation import PERSON, UnknownVersion, VersionRow, decide, list_versions
from occurisk_assets.lifecycle.archive import ArchiveError, restore_archive
from occurisk_assets.lifecycle.retention import RetentionError, apply_retention, describe
from occurisk_assets.runs import launch
from occurisk_assets.versions import BUILDING, COMPLETE, FAILED, active_version


@click.group("versions")
def versions() -> None:
    """O*NET data versions: list them, choose the active one, read their diff reports."""


@versions.command("list")
def versions_list() -> None:
    """Every loaded version: the active one marked *, its build status (only complete versions are served
    or activated) and the activation decision that explains its state."""
    with db.connect() as conn:
        rows = list_versions(conn)
    if not rows:
        click.echo("no version loaded yet")
    for row in rows:
        mark = "*" if row.is_active else " "
        loaded = f"{row.loaded_at:%Y-%m-%d %H:%M}" if row.loaded_at else "not loaded"
        status = row.build_status + (f" ({row.build_error})" if row.build_error else "")
        if row.build_status == COMPLETE:
            status += " (served)" if row.is_active else ""
            status += _rebuild_state(row)
        decision = f"  [{row.last_outcome}: {row.last_reason}]" if row.last_outcome else ""
        click.echo(
            f"{mark} {row.data_version:6} {status:8}  released {str(row.release_date or 'unknown'):10}  "
            f"loaded {loaded}  {row.source or ''}{decision}"
        )


def _rebuild_state(row: VersionRow) -> str:
    """A rebuild of a complete version (lifecycle/rebuild.py): under way, or failed."""
    if row.rebuild_status == FAILED:
        return f" — rebuild failed at {row.rebuild_failed_at:%Y-%m-%d %H:%M:%S %Z}: {row.rebuild_error}"
    if row.rebuild_status == BUILDING:
        return " — rebuild in progress (this build stays served until it is complete and checked)"
    return ""


@versions.command("activate")
@click.argument("version")
@click.option(
    "--force", is_flag=True, help="Activate even if blocking checks fail (the failures are logged)."
)
def versions_activate(version: str, force: bool) -> None:
    """Make VERSION the active one (what the API serves) if its blocking checks pass. Rolling back is
    activating the previous version."""
    with db.connect() as conn:
        try:
            decision = decide(
                conn,
                version,
                min_coverage=get_settings().activation_min_coverage,
                trigger=PERSON,
                force=force,
            )
        except UnknownVersion as exc:
            raise click.ClickException(str(exc)) from exc
    for gate in decision.gates:
        click.echo(f"  {'ok  ' if gate.passed else 'FAIL'} {gate.name}: {gate.detail}")
    if decision.outcome == "blocked":
        raise click.ClickException(
            f"O*NET {version} not activated ({decision.active_after or 'no version'} stays "
            f"active); --force overrides"
        )
    if decision.outcome == "already_active":
        click.echo(f"O*NET {version} is already active")
    else:
        click.echo(
            f"O*NET {version} is now active (was {decision.active_before or 'none'})"
            + (" — forced past failing checks" if decision.forced else "")
        )


@versions.command("diff")
@click.argument("version")
def versions_diff(version: str) -> None:
    """Print the diff report of VERSION against its baseline (Markdown)."""
    from occurisk_assets.lifecycle.diff import stored_diff

    with db.connect() as conn:
        report = stored_diff(conn, version)
    if report is None:
        raise click.ClickException(
            f"no diff report for O*NET {version} (the pipeline writes it: occurisk pipeline "
            f"--version {version})"
        )
    click.echo(report["markdown"], nl=False)


@click.command("rescore")
@click.option("--version", "data_version", default=None, help="O*NET version (default: the active one).")
@click.option(
    "--models",
    multiple=True,
    help="Models to score (default: every LLM whose API key is set, else the "
    "published raters). Repeat for several.",
)
@click.option("--top-n", type=click.IntRange(min=1), default=None, help="Only the first N tasks by priority.")
@click.option("--sample", type=click.IntRange(min=1), default=None, help="A deterministic sample of N tasks.")
@click.option(
    "--budget",
    "budget_usd",
    type=click.FloatRange(min=0),
    default=None,
    help="Most this run may spend (USD; default OCCURISK_RESCORE_BUDGET_USD).",
)
def rescore(
    data_version: str | None,
    models: tuple[str, ...],
    top_n: int | None,
    sample: int | None,
    budget_usd: float | None,
) -> None:
    """Re-score a version's tasks (calls are cached: only new or changed prompts are paid for), then rebuild
    its ensembles, occupation scores, diff report and activation — one Dagster run of rescore_active_version."""
    from occurisk_assets.defs.lifecycle.schedules import RESCORE_JOB
    from occurisk_assets.defs.scoring.assets import SCORING_OP

    schema.ensure_server()
    with db.connect() as conn:
        data_version = data_version or active_version(conn)
    if data_version is None:
        raise click.ClickException("no active version: name one with --version")
    budget_usd = budget_usd if budget_usd is not None else get_settings().rescore_budget_usd
    config = {
        key: value
        for key, value in (
            ("models", list(models)),
            ("top_n", top_n),
            ("sample", sample),
            ("budget_usd", budget_usd),
        )
        if value
    }
    result = launch.check(
        launch.run_job(
            RESCORE_JOB,
            partition_key=data_version,
            run_config={"ops": {SCORING_OP: {"config": config}}} if config else None,
            tags={"occurisk/trigger": "occurisk rescore"},
        ),
        f"re-scoring O*NET {data_version}",
    )
    [scores] = result.asset_materializations_for_node(SCORING_OP)
    click.echo(
        f"O*NET {data_version} re-scored: {scores.metadata['statuses'].value}; "
        f"{scores.metadata['calls_made'].value} provider calls, "
        f"${scores.metadata['estimated_cost_usd'].value:.4f} (Dagster run {result.run_id})"
    )


@click.command("archive")
@click.option(
    "--keep-versions",
    type=click.IntRange(min=1),
    default=None,
    help="O*NET versions to keep (default OCCURISK_RETENTION_KEEP_VERSIONS, 4).",
)
@click.option(
    "--keep-runs",
    type=click.IntRange(min=1),
    default=None,
    help="Scoring runs to keep per model in each kept version (default OCCURISK_RETENTION_KEEP_RUNS, 3).",
)
@click.option("--dry-run", is_flag=True, help="Say what would be archived; change nothing.")
def archive(keep_versions: int | None, keep_runs: int | None, dry_run: bool) -> None:
    """Export older O*NET versions and scoring runs to the archive folder, then delete them from the database.
    The active version and the runs it uses are never touched."""
    settings = get_settings()
    with db.connect() as conn:
        try:
            result = apply_retention(
                conn,
                keep_versions or settings.retention_keep_versions,
                keep_runs or settings.retention_keep_runs,
                settings.archive_path,
                dry_run,
            )
        except RetentionError as exc:
            raise click.ClickException(str(exc)) from exc
    for line in describe(result):
        click.echo(line)


@click.command("restore")
@click.argument("archive_folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def restore(archive_folder: Path) -> None:
    """Put an archived O*NET version or set of scoring runs back into the database."""
    with db.connect() as conn:
        try:
            restored = restore_archive(conn, archive_folder)
        except ArchiveError as exc:
            raise click.ClickException(str(exc)) from exc
    for table, rows in restored.items():
        click.echo(f"  {table:45} {rows:>9,}")
    click.echo(f"restored {sum(restored.values()):,} rows from {archive_folder}")


commands = [versions, rescore, archive, restore]
