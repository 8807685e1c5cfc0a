"""`occurisk bls-load`: load BLS workbooks into the `bls` schema, as a Dagster run of the BLS assets."""

from __future__ import annotations

import click

from occurisk_assets.bls.releases import OEWS_RELEASES, PROJECTION_PERIODS
from occurisk_assets.bls.sources import OewsRelease
from occurisk_assets.lib.names import BLS_JOB, DATA_VERSION_JOB
from occurisk_assets.runs import launch

PROJECTION_ASSETS = [
    "bls_proj_metrics",
    "nem_onet_crosswalk",
    "nem_occupational_coverage",
    "soc_2010_2018_crosswalk",
]


def _oews_release(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    for value in values:
        try:
            OewsRelease.parse(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc), ctx=ctx, param=param) from exc
    return values


def _echo_loads(result, asset_names: list[str]) -> None:
    """A line per release each asset loaded, from the run's materializations, in `asset_names` order."""
    from dagster import AssetKey

    materialized = {
        event.asset_key: event.metadata
        for event in (
            e.event_specific_data.materialization for e in result.all_events if e.is_step_materialization
        )
    }
    for name in asset_names:
        for release, load in materialized[AssetKey(["bls", name])]["loaded"].value.items():
            partition = "" if name == "soc_2010_2018_crosswalk" else f" {release}"
            click.echo(
                f"bls.{name}{partition}: {load['rows']} rows from {load['source']} ({load['load_seconds']:.2f}s)"
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
    from dagster import AssetKey

    if not (oews_releases or projections or link_version):
        oews_releases, projections = tuple(OEWS_RELEASES), True
    assets = (["bls_oews_metrics"] if oews_releases else []) + (PROJECTION_ASSETS if projections else [])
    if assets:
        releases = {"bls_oews_metrics": list(oews_releases), "soc_2010_2018_crosswalk": []}
        run_config = {
            "ops": {
                f"bls__{name}": {
                    "config": {"releases": releases.get(name, PROJECTION_PERIODS[-1:]), "reload": True}
                }
                for name in assets
            }
        }
        result = launch.check(
            launch.run_job(
                BLS_JOB,
                assets=[AssetKey(["bls", name]) for name in assets],
                run_config=run_config,
                tags={"occurisk/trigger": "occurisk bls-load"},
            ),
            "loading BLS",
        )
        _echo_loads(result, assets)
    if link_version:
        result = launch.check(
            launch.run_job(
                DATA_VERSION_JOB,
                partition_key=link_version,
                assets=[AssetKey(["bls", "soc_bls_link"])],
                tags={"occurisk/trigger": "occurisk bls-load"},
            ),
            f"linking O*NET {link_version} to BLS",
        )
        [link] = result.asset_materializations_for_node("bls__soc_bls_link")
        meta = {key: value.value for key, value in link.metadata.items()}
        click.echo(
            f"bls.soc_bls_link {link_version}: {meta['onet_soc_codes']} O*NET SOC codes against OEWS "
            f"{meta['ref_year_month']} and projections {meta['projection_period']}"
        )
        for name, side in (("OEWS", "oews"), ("projections", "proj")):
            counts = ", ".join(
                f"{key.removeprefix(side + '_')} {value}"
                for key, value in meta.items()
                if key.startswith(side + "_") and not key.endswith("_unmatched")
            )
            click.echo(
                f"  {name}: {counts}; unmatched O*NET codes: {', '.join(meta[side + '_onet_unmatched']) or '-'}; "
                f"unreached BLS codes: {', '.join(meta[side + '_bls_unmatched']) or '-'}"
            )


commands = [bls_load]
