"""Loading into the real PostgreSQL: typed rows, NULL + flag, idempotent re-runs, failed loads that lose nothing."""

from __future__ import annotations

from decimal import Decimal

import psycopg
import pytest

from occurisk_assets.bls import loader
from occurisk_assets.bls.workbook import BlsFileError
from occurisk_assets.lib import db


def count(table: str, where: str = "true", *params) -> int:
    with db.connect() as conn:
        return conn.execute(f"SELECT count(*) FROM bls.{table} WHERE {where}", params).fetchone()[0]


def test_oews_load_is_typed_and_flags_markers(fresh_database):
    report = loader.load_oews("2024-05")
    assert (report.rows, report.details["sheet_rows"]) == (1396, 1403)
    assert (report.details["suppressed_cells"], report.details["top_coded_cells"]) == (540, 235)
    with db.connect() as conn:
        actors = conn.execute(
            "SELECT employment, median_annual_wage, median_annual_wage_flag, median_hourly_wage, hourly_only"
            " FROM bls.bls_oews_metrics WHERE ref_year_month = '2024-05' AND soc_code = '27-2011'"
        ).fetchone()
        assert actors == (38800, None, "suppressed", Decimal("23.33"), True)
        surgeons = conn.execute(
            "SELECT median_annual_wage, median_annual_wage_flag, annual_wage_p25 FROM bls.bls_oews_metrics"
            " WHERE ref_year_month = '2024-05' AND soc_code = '29-1022'"
        ).fetchone()
        assert surgeons == (None, "top_coded", 236780)
        flagged = conn.execute(
            "SELECT count(*) FILTER (WHERE median_annual_wage_flag = 'top_coded'),"
            " count(*) FILTER (WHERE median_annual_wage_flag = 'suppressed'),"
            " count(*) FILTER (WHERE median_annual_wage = 0)"
            " FROM bls.bls_oews_metrics WHERE ref_year_month = '2024-05'"
        ).fetchone()
        assert flagged == (19, 7, 0)


def test_projections_load_in_persons(fresh_database):
    assert loader.load_projections("2024-2034").rows == 1113
    with db.connect() as conn:
        row = conn.execute(
            "SELECT employment_base, employment_projected, employment_change, annual_openings, growth_pct,"
            " median_annual_wage FROM bls.bls_proj_metrics WHERE projection_period = '2024-2034'"
            " AND soc_code = '11-1011'"
        ).fetchone()
    assert row == (309400, 322700, 13300, 22200, Decimal("4.3"), 206420)


def test_crosswalk_loads(fresh_database):
    assert loader.load_nem_onet_crosswalk("2024-2034").rows == 997
    assert loader.load_nem_coverage("2024-2034").rows == 1113
    assert loader.load_soc_2010_2018().rows == 900
    assert loader.load_soc_2010_2018().rows == 900  # unpartitioned: replaced, not appended
    assert count("soc_2010_2018_crosswalk") == 900


def test_reload_replaces_only_its_partition(fresh_database):
    loader.load_oews("2023-05")
    loader.load_oews("2024-05")
    with db.connect() as conn:
        before_2023 = conn.execute(
            "SELECT max(loaded_at) FROM bls.bls_oews_metrics WHERE ref_year_month = '2023-05'"
        ).fetchone()[0]
    assert loader.load_oews("2024-05").rows == 1396
    assert count("bls_oews_metrics", "ref_year_month = '2024-05'") == 1396
    assert count("bls_oews_metrics", "ref_year_month = '2023-05'") == 1396
    with db.connect() as conn:
        after_2023 = conn.execute(
            "SELECT max(loaded_at) FROM bls.bls_oews_metrics WHERE ref_year_month = '2023-05'"
        ).fetchone()[0]
    assert after_2023 == before_2023


def test_unreadable_workbook_loses_nothing(fresh_database, tmp_path):
    loader.load_oews("2024-05")
    broken = tmp_path / "national_M2024_dl.xlsx"
    broken.write_bytes(b"PK\x03\x04 truncated download")
    with pytest.raises(BlsFileError, match=f"{broken}: not a readable workbook"):
        loader.load_oews("2024-05", workbook=broken)
    assert count("bls_oews_metrics", "ref_year_month = '2024-05'") == 1396


def test_failed_write_rolls_back(fresh_database, bls_dir):
    loader.load_oews("2024-05")
    from occurisk_assets.bls.oews import read_oews
    from occurisk_assets.bls.sources import OewsRelease

    release = OewsRelease.parse("2024-05")
    rows = read_oews(bls_dir / release.workbook_path, release).rows
    rows = [*rows[:100], {**rows[100], "soc_code": rows[0]["soc_code"]}]  # a duplicate key in the new data
    with db.connect() as conn, pytest.raises(psycopg.errors.UniqueViolation):
        loader.replace_rows(
            conn, "bls_oews_metrics", loader.OEWS_COLUMNS, rows, {"ref_year_month": "2024-05"}
        )
    assert count("bls_oews_metrics", "ref_year_month = '2024-05'") == 1396


def test_marker_and_value_cannot_both_be_stored(fresh_database, bls_dir):
    """The table itself refuses a flagged number (e.g. a '#' read as 0)."""
    loader.load_oews("2024-05")
    violation = pytest.raises(psycopg.errors.CheckViolation, match="median_annual_wage_null_iff_flagged")
    with db.connect() as conn, violation:
        conn.execute(
            "UPDATE bls.bls_oews_metrics SET median_annual_wage = 0"
            " WHERE ref_year_month = '2024-05' AND soc_code = '29-1022'"
        )
