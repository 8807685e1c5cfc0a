"""`occurisk bls-load`: load BLS workbooks into the `bls` schema without Dagster."""

from __future__ import annotations

import click

from occurisk_assets import db
from occurisk_assets.defs.bls.link import LinkInputMissing, build_soc_bls_link
from occurisk_assets.defs.bls.loader import (
    LoadReport,
    load_nem_coverage,
    load_nem_onet_crosswalk,
    load_oews,
    load_projections,
    load_soc_2010_2018,
)
from occurisk_assets.defs.bls.partitions import OEWS_RELEASES, PROJECTION_PERIODS
from occurisk_assets.defs.bls.sources import BlsSourceNotFound, OewsRelease
from occurisk_assets.defs.bls.workbook import BlsFileError


def _oews_release(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    for value in values:
        try:
            OewsRelease.parse(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc), ctx=ctx, param=param) from exc
    return values


def _echo(report: LoadReport) -> None:
    partition = f" {report.partition}" if report.partition else ""
    click.echo(
        f"bls.{report.table}{partition}: {report.rows} rows from {report.source} ({report.seconds:.2f}s)"
    )


@click.command("bls-load")
@click.option(
    "--oews",
    "oews_releases",
    multiple=True,
    metavar="YYYY-05",
    callback=_oews_release,
    help="An OEWS national release to load, e.g. 2024-05 (repeatable).",
)
@click.option(
    "--projections",
    is_flag=True,
    help=f"Load the {PROJECTION_PERIODS[-1]} Employment Projections (Table 1.2), the NEM "
    "crosswalk and coverage of that period, and the SOC 2010 → 2018 crosswalk.",
)
@click.option(
    "--link",
    "link_version",
    metavar="DATA_VERSION",
    default=None,
    help="Then rebuild bls.soc_bls_link for this O*NET version (reads marts.occupation_master).",
)
def bls_load(oews_releases: tuple[str, ...], projections: bool, link_version: str | None) -> None:
    """Load BLS data into the `bls` schema, from the BLS data folder (../shared/data/bls), the landing
    folder, or bls.gov. Without options: every known OEWS release and the projections."""
    if not (oews_releases or projections or link_version):
        oews_releases, projections = tuple(OEWS_RELEASES), True
    db.ensure_server()
    try:
        for ref_year_month in oews_releases:
            _echo(load_oews(ref_year_month))
        if projections:
            period = PROJECTION_PERIODS[-1]
            for load in (load_projections, load_nem_onet_crosswalk, load_nem_coverage):
                _echo(load(period))
            _echo(load_soc_2010_2018())
        if link_version:
            with db.connect() as conn:
                report = build_soc_bls_link(conn, link_version)
            click.echo(
                f"bls.soc_bls_link {link_version}: {report.onet_soc_codes} O*NET SOC codes against OEWS "
                f"{report.ref_year_month} and projections {report.projection_period}"
            )
            for name, side in (("OEWS", report.oews), ("projections", report.proj)):
                counts = ", ".join(f"{k} {v}" for k, v in side.counts.items())
                click.echo(
                    f"  {name}: {counts}; unmatched O*NET codes: {', '.join(side.onet_unmatched) or '-'}; "
                    f"unreached BLS codes: {', '.join(side.bls_unmatched) or '-'}"
                )
    except (BlsFileError, BlsSourceNotFound, LinkInputMissing) as exc:
        raise click.ClickException(str(exc)) from exc


commands = [bls_load]
