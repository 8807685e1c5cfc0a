"""Asset checks of the BLS tables. Expected values come from the workbooks themselves (counted here
independently of the loader) and from the totals BLS publishes in them.

The checks are not partitioned (Dagster's partitioned checks are a preview feature and cannot run without
their asset): the link's check, in a partitioned run, checks that run's data_version (run alone, every one);
the release tables' checks check every release loaded.
"""

from collections.abc import Callable

import psycopg
from dagster import AssetCheckExecutionContext, AssetCheckResult, MetadataValue, asset_check

from occurisk_assets.bls.oews import is_national_cross_industry
from occurisk_assets.bls.projections import SHEET as PROJECTIONS_SHEET
from occurisk_assets.bls.sources import (
    PROJECTIONS,
    OewsRelease,
    ProjectionPeriod,
    oews_workbook,
    official_workbook,
)
from occurisk_assets.bls.workbook import find_header, read_sheet, text_value
from occurisk_assets.defs.bls import assets
from occurisk_assets.resources import PlatformDatabase

TOTAL_CODE = "00-0000"
# OEWS rounds employment to the nearest 10 persons; the projections to 0.1 thousand = 100 persons. The sum
# of n rounded figures may differ from the rounded total by up to n half-units.
OEWS_HALF_UNIT = 5
PROJ_HALF_UNIT = 50

Outcome = tuple[bool, dict]


def oews_sheet_counts(release: OewsRelease) -> tuple[int, int]:
    """(national cross-industry data rows, distinct OCC_CODEs among them) in the release's sheet."""
    sheet = read_sheet(oews_workbook(release), release.sheet_name)
    header_index, col = find_header(sheet, ("OCC_CODE", "AREA_TYPE", "I_GROUP", "OWN_CODE"), search_rows=5)
    codes = [
        text_value(row[col["OCC_CODE"]])
        for row in sheet.rows[header_index + 1 :]
        if text_value(row[col["OCC_CODE"]]) and is_national_cross_industry(row, col)
    ]
    return len(codes), len(set(codes))


def projections_sheet_rows(period: ProjectionPeriod) -> int:
    sheet = read_sheet(official_workbook(PROJECTIONS), PROJECTIONS_SHEET)
    code_header = f"{period.base_year} National Employment Matrix code"
    header_index, col = find_header(sheet, (code_header,))
    rows = 0
    for row in sheet.rows[header_index + 1 :]:
        if not text_value(row[col[code_header]]):
            break
        rows += 1
    return rows


def _one(conn: psycopg.Connection, query: str, *params):
    return conn.execute(query, params).fetchone()


def run_per_partition(
    context: AssetCheckExecutionContext,
    database: PlatformDatabase,
    table: str,
    column: str,
    check: Callable[[psycopg.Connection, str], Outcome],
) -> AssetCheckResult:
    """`check` on the run's partition for the partitioned link table; otherwise on every release loaded in
    `bls.<table>` (the release tables are not partitioned, even in a run of a data_version partition)."""
    with database.connect() as conn:
        if context.has_partition_key and table == "soc_bls_link":
            keys = [context.partition_key]
        else:
            keys = [r[0] for r in conn.execute(f"SELECT DISTINCT {column} FROM bls.{table} ORDER BY 1")]
        if not keys:
            return AssetCheckResult(passed=False, metadata={"error": f"bls.{table} is empty"})
        outcomes = {key: check(conn, key) for key in keys}
    passed = all(ok for ok, _ in outcomes.values())
    if len(outcomes) == 1:
        ((key, (_, metadata)),) = outcomes.items()
        return AssetCheckResult(passed=passed, metadata={"partition": key, **metadata})
    return AssetCheckResult(
        passed=passed,
        metadata={
            key: MetadataValue.json({"passed": ok, **metadata}) for key, (ok, metadata) in outcomes.items()
        },
    )


def oews_rows(conn: psycopg.Connection, ref_year_month: str) -> Outcome:
    sheet_rows, distinct_codes = oews_sheet_counts(OewsRelease.parse(ref_year_month))
    (rows,) = _one(
        conn, "SELECT count(*) FROM bls.bls_oews_metrics WHERE ref_year_month = %s", ref_year_month
    )
    return rows == distinct_codes, {
        "rows_in_table": rows,
        "sheet_data_rows": sheet_rows,
        "distinct_codes_in_sheet": distinct_codes,
    }


def duplicated_codes(conn: psycopg.Connection, table: str, column: str, key: str) -> Outcome:
    (dupes,) = _one(
        conn,
        f"SELECT count(*) FROM (SELECT soc_code FROM bls.{table} WHERE {column} = %s"
        " GROUP BY soc_code HAVING count(*) > 1) d",
        key,
    )
    return dupes == 0, {"duplicated_codes": dupes}


def oews_total(conn: psycopg.Connection, ref_year_month: str) -> Outcome:
    total, summed, detailed, unpublished = _one(
        conn,
        "SELECT max(employment) FILTER (WHERE soc_code = %s), sum(employment) FILTER (WHERE o_group = 'detailed'),"
        " count(*) FILTER (WHERE o_group = 'detailed'),"
        " count(*) FILTER (WHERE o_group = 'detailed' AND employment IS NULL)"
        " FROM bls.bls_oews_metrics WHERE ref_year_month = %s",
        TOTAL_CODE,
        ref_year_month,
    )
    tolerance = OEWS_HALF_UNIT * detailed
    passed = (
        total is not None and summed is not None and unpublished == 0 and abs(summed - total) <= tolerance
    )
    return passed, {
        "published_total": total or 0,
        "sum_of_detailed": summed or 0,
        "detailed_rows": detailed,
        "detailed_without_employment": unpublished,
        "difference": (summed or 0) - (total or 0),
        "tolerance": tolerance,
    }


def proj_rows(conn: psycopg.Connection, period: str) -> Outcome:
    sheet_rows = projections_sheet_rows(ProjectionPeriod.parse(period))
    (rows,) = _one(conn, "SELECT count(*) FROM bls.bls_proj_metrics WHERE projection_period = %s", period)
    return rows == sheet_rows, {"rows_in_table": rows, "sheet_data_rows": sheet_rows}


def proj_total(conn: psycopg.Connection, period: str) -> Outcome:
    row = _one(
        conn,
        "SELECT max(employment_base) FILTER (WHERE soc_code = %s),"
        " max(employment_projected) FILTER (WHERE soc_code = %s),"
        " sum(employment_base) FILTER (WHERE occupation_type = 'line_item'),"
        " sum(employment_projected) FILTER (WHERE occupation_type = 'line_item'),"
        " count(*) FILTER (WHERE occupation_type = 'line_item')"
        " FROM bls.bls_proj_metrics WHERE projection_period = %s",
        TOTAL_CODE,
        TOTAL_CODE,
        period,
    )
    base_total, projected_total, base_sum, projected_sum, line_items = row
    tolerance = PROJ_HALF_UNIT * line_items
    passed = None not in row and all(
        abs(s - t) <= tolerance for s, t in ((base_sum, base_total), (projected_sum, projected_total))
    )
    return passed, {
        "published_base_total": base_total or 0,
        "sum_of_line_items_base": base_sum or 0,
        "published_projected_total": projected_total or 0,
        "sum_of_line_items_projected": projected_sum or 0,
        "line_items": line_items,
        "tolerance": tolerance,
    }


def proj_coverage(conn: psycopg.Connection, period: str) -> Outcome:
    only_proj, only_coverage, type_differs, coverage_rows = _one(
        conn,
        "WITH p AS (SELECT soc_code, occupation_type FROM bls.bls_proj_metrics WHERE projection_period = %s),"
        " c AS (SELECT nem_code, occupation_type FROM bls.nem_occupational_coverage"
        "       WHERE projection_period = %s AND occupation_type <> 'exclude')"
        " SELECT count(*) FILTER (WHERE c.nem_code IS NULL), count(*) FILTER (WHERE p.soc_code IS NULL),"
        "        count(*) FILTER (WHERE p.occupation_type <> c.occupation_type), count(c.nem_code)"
        " FROM p FULL JOIN c ON c.nem_code = p.soc_code",
        period,
        period,
    )
    passed = coverage_rows > 0 and only_proj == 0 and only_coverage == 0 and type_differs == 0
    return passed, {
        "coverage_rows": coverage_rows,
        "codes_only_in_projections": only_proj,
        "codes_only_in_coverage": only_coverage,
        "occupation_type_differs": type_differs,
    }


def link_targets(conn: psycopg.Connection, data_version: str) -> Outcome:
    links, missing_oews, missing_proj = _one(
        conn,
        "SELECT count(*),"
        " count(*) FILTER (WHERE l.oews_soc_code IS NOT NULL AND o.soc_code IS NULL),"
        " count(*) FILTER (WHERE l.proj_soc_code IS NOT NULL AND p.soc_code IS NULL)"
        " FROM bls.soc_bls_link l"
        " LEFT JOIN bls.bls_oews_metrics o ON o.ref_year_month = l.ref_year_month AND o.soc_code = l.oews_soc_code"
        " LEFT JOIN bls.bls_proj_metrics p ON p.projection_period = l.projection_period"
        "  AND p.soc_code = l.proj_soc_code"
        " WHERE l.data_version = %s",
        data_version,
    )
    return links > 0 and missing_oews == 0 and missing_proj == 0, {
        "links": links,
        "oews_codes_missing": missing_oews,
        "proj_codes_missing": missing_proj,
    }


@asset_check(
    asset=assets.bls_oews_metrics,
    description="One row per distinct OCC_CODE of the sheet's data "
    "rows (a code OEWS lists as both broad and detailed is one row)",
)
def oews_rows_match_sheet(
    context: AssetCheckExecutionContext, database: PlatformDatabase
) -> AssetCheckResult:
    return run_per_partition(context, database, "bls_oews_metrics", "ref_year_month", oews_rows)


@asset_check(asset=assets.bls_oews_metrics, description="No soc_code twice in a release")
def oews_soc_code_unique(context: AssetCheckExecutionContext, database: PlatformDatabase) -> AssetCheckResult:
    return run_per_partition(
        context,
        database,
        "bls_oews_metrics",
        "ref_year_month",
        lambda conn, key: duplicated_codes(conn, "bls_oews_metrics", "ref_year_month", key),
    )


@asset_check(
    asset=assets.bls_oews_metrics,
    description="Detailed occupations sum to the published "
    "all-occupations total (00-0000), within rounding to the nearest 10",
)
def oews_detailed_employment_matches_total(
    context: AssetCheckExecutionContext, database: PlatformDatabase
) -> AssetCheckResult:
    return run_per_partition(context, database, "bls_oews_metrics", "ref_year_month", oews_total)


@asset_check(asset=assets.bls_proj_metrics, description="One row per occupation row of Table 1.2")
def proj_rows_match_sheet(
    context: AssetCheckExecutionContext, database: PlatformDatabase
) -> AssetCheckResult:
    return run_per_partition(context, database, "bls_proj_metrics", "projection_period", proj_rows)


@asset_check(asset=assets.bls_proj_metrics, description="No soc_code twice in a projection period")
def proj_soc_code_unique(context: AssetCheckExecutionContext, database: PlatformDatabase) -> AssetCheckResult:
    return run_per_partition(
        context,
        database,
        "bls_proj_metrics",
        "projection_period",
        lambda conn, key: duplicated_codes(conn, "bls_proj_metrics", "projection_period", key),
    )


@asset_check(
    asset=assets.bls_proj_metrics,
    description="Line items sum to the published total (00-0000) "
    "for base and projected employment, within rounding to 0.1 thousand",
)
def proj_line_item_employment_matches_total(
    context: AssetCheckExecutionContext, database: PlatformDatabase
) -> AssetCheckResult:
    return run_per_partition(context, database, "bls_proj_metrics", "projection_period", proj_total)


@asset_check(
    asset=assets.bls_proj_metrics,
    additional_deps=[assets.nem_occupational_coverage],
    description="Same codes and occupation types as the NEM occupational coverage of the period",
)
def proj_codes_match_nem_coverage(
    context: AssetCheckExecutionContext, database: PlatformDatabase
) -> AssetCheckResult:
    return run_per_partition(context, database, "bls_proj_metrics", "projection_period", proj_coverage)


@asset_check(
    asset=assets.soc_bls_link,
    description="Every linked BLS code is a row of the linked OEWS release and projection period",
)
def soc_bls_link_targets_exist(
    context: AssetCheckExecutionContext, database: PlatformDatabase
) -> AssetCheckResult:
    return run_per_partition(context, database, "soc_bls_link", "data_version", link_targets)


asset_checks = [
    oews_rows_match_sheet,
    oews_soc_code_unique,
    oews_detailed_employment_matches_total,
    proj_rows_match_sheet,
    proj_soc_code_unique,
    proj_line_item_employment_matches_total,
    proj_codes_match_nem_coverage,
    soc_bls_link_targets_exist,
]
