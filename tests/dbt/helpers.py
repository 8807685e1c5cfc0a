"""Helpers of the dbt tests: load a release with the real loader, materialize dbt assets, read the marts."""

from __future__ import annotations

from pathlib import Path

from dagster import AssetsDefinition, DagsterInstance, ExecuteInProcessResult, materialize

from occurisk_assets.defs.dbt.definitions import defs as dbt_defs
from occurisk_assets.lib import db
from occurisk_assets.onet.loader import load_release
from occurisk_assets.onet.sources import Release
from occurisk_assets.partitions import data_version_partitions


def load_onet(folder: Path, data_version: str) -> None:
    """The O*NET loader, as the onet_release asset runs it."""
    load_release(Release(folder=folder, data_version=data_version, source=str(folder), release_date=None))


def build(assets: AssetsDefinition, data_version: str, instance: DagsterInstance) -> ExecuteInProcessResult:
    """Materialize one dbt asset group for one data_version partition, as a Dagster run would."""
    instance.add_dynamic_partitions(data_version_partitions.name, [data_version])
    result = materialize(
        [assets], partition_key=data_version, instance=instance, resources=dbt_defs().resources
    )
    assert result.success
    return result


def failed_checks(result: ExecuteInProcessResult) -> list[str]:
    return [
        f"{e.asset_key.to_user_string()}:{e.check_name}"
        for e in result.get_asset_check_evaluations()
        if not e.passed
    ]


def query(sql: str, params: tuple = ()) -> list[tuple]:
    with db.connect() as conn:
        return conn.execute(sql, params).fetchall()


def mart_counts() -> dict[tuple[str, str], int]:
    """Rows per (mart, data_version) of every mart that exists."""
    tables = [
        r[0] for r in query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts'")
    ]
    counts: dict[tuple[str, str], int] = {}
    for table in tables:
        for version, n in query(f'SELECT data_version, count(*) FROM marts."{table}" GROUP BY 1'):
            counts[(table, version)] = n
    return counts
