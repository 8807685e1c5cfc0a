"""Write parsed BLS rows: COPY into a staging table, then replace the partition in one transaction.

A load that fails anywhere (parsing happens before, constraints fire on the final INSERT) leaves the table
as it was; a re-run replaces the same partition with the same rows.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from occurisk_assets.bls import crosswalks, oews, projections
from occurisk_assets.bls.sources import (
    NEM_COVERAGE,
    NEM_ONET_CROSSWALK,
    PROJECTIONS,
    SOC_2010_2018_CROSSWALK,
    OewsRelease,
    ProjectionPeriod,
    oews_workbook,
    official_workbook,
)
from occurisk_assets.bls.workbook import measure_columns
from occurisk_assets.lib import db

OEWS_COLUMNS = [
    "ref_year_month",
    "soc_code",
    "o_group",
    "aggregated_to_broad",
    "title",
    "annual_only",
    "hourly_only",
    *measure_columns(oews.MEASURES),
    "sheet_row",
]
PROJ_COLUMNS = [
    "projection_period",
    "soc_code",
    "title",
    "occupation_type",
    *[name for column, *_ in projections.MEASURE_TEMPLATES for name in (column, f"{column}_flag")],
    *projections.TEXT_COLUMNS,
    "sheet_row",
]
NEM_ONET_COLUMNS = [
    "projection_period",
    "onetsoc_code",
    "onetsoc_title",
    "nem_code",
    "nem_title",
    "sheet_row",
]
COVERAGE_COLUMNS = ["projection_period", "nem_code", "title", "occupation_type", "level", "sheet_row"]
SOC_2010_COLUMNS = ["soc_2010_code", "soc_2010_title", "soc_2018_code", "soc_2018_title", "sheet_row"]


@dataclass
class LoadReport:
    table: str
    partition: str | None
    source: Path
    rows: int
    seconds: float
    details: dict[str, Any] = field(default_factory=dict)


def replace_rows(
    conn: psycopg.Connection,
    table: str,
    columns: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
    partition: Mapping[str, str],
) -> int:
    """Replace the rows of `bls.<table>` matching `partition` (all rows when empty) by `rows`, atomically."""
    target = sql.Identifier("bls", table)
    cols = sql.SQL(", ").join(map(sql.Identifier, columns))
    where = (
        sql.SQL(" AND ").join(
            sql.SQL("{} = {}").format(sql.Identifier(k), sql.Literal(v)) for k, v in partition.items()
        )
        if partition
        else sql.SQL("true")
    )
    lock_key = f"occurisk.bls.{table}." + ".".join(partition.values())
    with conn.transaction():
        # Two loads of the same partition at once would otherwise interleave their DELETE and INSERT.
        conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (lock_key,))
        conn.execute(
            sql.SQL("CREATE TEMP TABLE bls_stage (LIKE {} INCLUDING DEFAULTS) ON COMMIT DROP").format(target)
        )
        with conn.cursor().copy(sql.SQL("COPY bls_stage ({}) FROM STDIN").format(cols)) as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
        conn.execute(sql.SQL("DELETE FROM {} WHERE {}").format(target, where))
        inserted = conn.execute(
            sql.SQL("INSERT INTO {} ({}) SELECT {} FROM bls_stage").format(target, cols, cols)
        ).rowcount
        conn.execute(
            "DROP TABLE bls_stage"
        )  # ON COMMIT is too late when called inside a caller's transaction
    return inserted


def _write(
    table: str,
    columns: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
    partition: Mapping[str, str],
    url: str | None,
) -> int:
    with db.connect(url) as conn:
        inserted = replace_rows(conn, table, columns, rows, partition)
        conn.commit()
        # Fresh statistics right away: the API's plans must not wait for autovacuum.
        conn.execute(sql.SQL("ANALYZE {}").format(sql.Identifier("bls", table)))
        return inserted


def load_oews(ref_year_month: str, workbook: Path | None = None, url: str | None = None) -> LoadReport:
    started = time.perf_counter()
    release = OewsRelease.parse(ref_year_month)
    path = workbook or oews_workbook(release)
    parsed = oews.read_oews(path, release)
    rows = _write("bls_oews_metrics", OEWS_COLUMNS, parsed.rows, {"ref_year_month": ref_year_month}, url)
    flags = flag_counts(parsed.rows, [m.flag_column for m in oews.MEASURES])
    return LoadReport(
        "bls_oews_metrics",
        ref_year_month,
        path,
        rows,
        time.perf_counter() - started,
        {
            "sheet_rows": parsed.sheet_rows,
            "other_rows_skipped": parsed.other_rows_skipped,
            "aggregated_to_broad": parsed.aggregated_to_broad,
            "suppressed_cells": flags["suppressed"],
            "top_coded_cells": flags["top_coded"],
        },
    )


def load_projections(period: str, workbook: Path | None = None, url: str | None = None) -> LoadReport:
    started = time.perf_counter()
    projection = ProjectionPeriod.parse(period)
    path = workbook or official_workbook(PROJECTIONS)
    parsed = projections.read_projections(path, projection)
    rows = _write("bls_proj_metrics", PROJ_COLUMNS, parsed.rows, {"projection_period": period}, url)
    flags = flag_counts(parsed.rows, [f"{c}_flag" for c, *_ in projections.MEASURE_TEMPLATES])
    return LoadReport(
        "bls_proj_metrics",
        period,
        path,
        rows,
        time.perf_counter() - started,
        {
            "sheet_rows": len(parsed.rows),
            "line_items": sum(r["occupation_type"] == "line_item" for r in parsed.rows),
            "suppressed_cells": flags["suppressed"],
            "top_coded_cells": flags["top_coded"],
        },
    )


def load_nem_onet_crosswalk(period: str, workbook: Path | None = None, url: str | None = None) -> LoadReport:
    started = time.perf_counter()
    path = workbook or official_workbook(NEM_ONET_CROSSWALK)
    parsed = crosswalks.read_nem_onet_crosswalk(path, ProjectionPeriod.parse(period))
    rows = _write("nem_onet_crosswalk", NEM_ONET_COLUMNS, parsed, {"projection_period": period}, url)
    return LoadReport(
        "nem_onet_crosswalk",
        period,
        path,
        rows,
        time.perf_counter() - started,
        {"nem_codes": len({r["nem_code"] for r in parsed})},
    )


def load_nem_coverage(period: str, workbook: Path | None = None, url: str | None = None) -> LoadReport:
    started = time.perf_counter()
    path = workbook or official_workbook(NEM_COVERAGE)
    parsed = crosswalks.read_nem_coverage(path, ProjectionPeriod.parse(period))
    rows = _write("nem_occupational_coverage", COVERAGE_COLUMNS, parsed, {"projection_period": period}, url)
    return LoadReport("nem_occupational_coverage", period, path, rows, time.perf_counter() - started)


def load_soc_2010_2018(workbook: Path | None = None, url: str | None = None) -> LoadReport:
    started = time.perf_counter()
    path = workbook or official_workbook(SOC_2010_2018_CROSSWALK)
    parsed = crosswalks.read_soc_2010_2018(path)
    rows = _write("soc_2010_2018_crosswalk", SOC_2010_COLUMNS, parsed, {}, url)
    return LoadReport("soc_2010_2018_crosswalk", None, path, rows, time.perf_counter() - started)


def flag_counts(rows: Sequence[Mapping[str, Any]], flag_columns: Sequence[str]) -> dict[str, int]:
    counts = {"suppressed": 0, "top_coded": 0}
    for row in rows:
        for column in flag_columns:
            if row[column]:
                counts[row[column]] += 1
    return counts
