"""Asset checks on a loaded release: exact row counts, unique natural keys, SOC codes, change vs the
previous version. They run inside the load step (so they are partition-aware) and appear in the UI as
checks of each `onet_raw/<table>` asset."""

from __future__ import annotations

import psycopg
from dagster import AssetCheckResult, AssetCheckSeverity, AssetCheckSpec
from psycopg import sql

from occurisk_assets.lib.codes import ONETSOC_CODE_PATTERN
from occurisk_assets.lib.names import raw_asset_key
from occurisk_assets.onet.files import SPECS, FileSpec, snake
from occurisk_assets.onet.loader import ReleaseLoadReport
from occurisk_assets.versions import loaded_versions, nearest_older

ROWS_MATCH = "rows_match_file"
UNIQUE_KEY = "unique_natural_key"
SOC_CODES = "every_occupation_has_soc_code"
ROW_CHANGE = "row_count_change_vs_previous_version"


def check_specs() -> list[AssetCheckSpec]:
    specs = []
    for spec in SPECS:
        key = raw_asset_key(spec.table)
        specs.append(
            AssetCheckSpec(ROWS_MATCH, asset=key, description="Loaded rows equal the file's data lines")
        )
        specs.append(
            AssetCheckSpec(
                ROW_CHANGE, asset=key, description="Row-count change against the previously loaded version"
            )
        )
        if spec.natural_key:
            specs.append(
                AssetCheckSpec(
                    UNIQUE_KEY, asset=key, description=f"No duplicate ({', '.join(spec.natural_key)})"
                )
            )
    specs.append(
        AssetCheckSpec(
            SOC_CODES,
            asset=raw_asset_key("occupation_data"),
            description="Every O*NET-SOC code is NN-NNNN.NN, so its SOC code is its first 7 characters",
        )
    )
    return specs


def previous_version(conn: psycopg.Connection, data_version: str) -> str | None:
    return nearest_older(loaded_versions(conn), data_version)


def _count(conn: psycopg.Connection, table: str, data_version: str) -> int:
    return conn.execute(
        sql.SQL("SELECT count(*) FROM {} WHERE data_version = %s").format(sql.Identifier("onet_raw", table)),
        (data_version,),
    ).fetchone()[0]


def duplicate_keys(conn: psycopg.Connection, spec: FileSpec, data_version: str) -> int:
    key = sql.SQL(", ").join(sql.Identifier(snake(h)) for h in spec.natural_key)
    query = sql.SQL(
        "SELECT count(*) FROM (SELECT 1 FROM {} WHERE data_version = %s GROUP BY {} HAVING count(*) > 1) d"
    ).format(sql.Identifier("onet_raw", spec.table), key)
    return conn.execute(query, (data_version,)).fetchone()[0]


def run_checks(
    conn: psycopg.Connection, report: ReleaseLoadReport, warn_pct: float
) -> list[AssetCheckResult]:
    version = report.data_version
    previous = previous_version(conn, version)
    previous_rows = (
        dict(
            conn.execute(
                "SELECT table_name, rows FROM core.release_files WHERE data_version = %s AND present",
                (previous,),
            ).fetchall()
        )
        if previous
        else {}
    )
    results: list[AssetCheckResult] = []
    by_table = {f.table: f for f in report.files}
    for spec in SPECS:
        key = raw_asset_key(spec.table)
        loaded = by_table[spec.table]
        rows = _count(conn, spec.table, version)
        expected = loaded.rows or 0
        results.append(
            AssetCheckResult(
                asset_key=key,
                check_name=ROWS_MATCH,
                passed=rows == expected,
                metadata={
                    "rows_in_table": rows,
                    "data_lines_in_file": expected,
                    "file_present": loaded.present,
                },
            )
        )
        before = previous_rows.get(spec.table)
        change_pct = None if not before else round(100.0 * (rows - before) / before, 3)
        results.append(
            AssetCheckResult(
                asset_key=key,
                check_name=ROW_CHANGE,
                severity=AssetCheckSeverity.WARN,
                passed=change_pct is None or abs(change_pct) <= warn_pct,
                metadata={
                    "previous_version": previous or "none",
                    "previous_rows": before or 0,
                    "rows": rows,
                    "change_pct": change_pct if change_pct is not None else "n/a",
                    "warn_above_pct": warn_pct,
                },
            )
        )
        if spec.natural_key:
            dupes = duplicate_keys(conn, spec, version) if loaded.present else 0
            results.append(
                AssetCheckResult(
                    asset_key=key,
                    check_name=UNIQUE_KEY,
                    passed=dupes == 0,
                    metadata={"duplicate_keys": dupes},
                )
            )
    bad_codes = conn.execute(
        "SELECT count(*) FROM onet_raw.occupation_data WHERE data_version = %s AND onetsoc_code !~ %s",
        (version, ONETSOC_CODE_PATTERN),
    ).fetchone()[0]
    results.append(
        AssetCheckResult(
            asset_key=raw_asset_key("occupation_data"),
            check_name=SOC_CODES,
            passed=bad_codes == 0,
            metadata={"codes_without_soc": bad_codes},
        )
    )
    return results
