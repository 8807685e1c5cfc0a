"""Read BLS figures for one occupation — what the API shows next to an O*NET occupation."""

from __future__ import annotations

import psycopg
from psycopg.rows import class_row
from pydantic import BaseModel


class SocBlsMetrics(BaseModel):
    """One row of the view `marts.soc_bls_metrics` (dbt_project/models/views). A NULL figure has its `*_flag` ('suppressed' or
    'top_coded'), or no BLS row at all (`*_match_type` 'none'). For match type 'aggregate' the figures
    are those of the BLS code (`oews_soc_code` / `proj_soc_code`) that groups several O*NET codes."""

    data_version: str
    soc_code: str
    ref_year_month: str
    oews_soc_code: str | None
    oews_match_type: str
    oews_title: str | None
    employment: int | None
    employment_flag: str | None
    median_annual_wage: int | None
    median_annual_wage_flag: str | None
    median_hourly_wage: float | None
    median_hourly_wage_flag: str | None
    mean_annual_wage: int | None
    mean_annual_wage_flag: str | None
    projection_period: str
    proj_soc_code: str | None
    proj_match_type: str
    proj_title: str | None
    employment_base: int | None
    employment_projected: int | None
    employment_change: int | None
    growth_pct: float | None
    annual_openings: int | None
    proj_median_annual_wage: int | None
    proj_median_annual_wage_flag: str | None
    typical_education: str | None
    work_experience: str | None
    on_the_job_training: str | None


def soc_bls_metrics(conn: psycopg.Connection, soc_code: str, data_version: str) -> SocBlsMetrics | None:
    """Employment, wages, growth and openings of an O*NET SOC code ('15-1252'); None when the code has
    not been linked for that data_version."""
    with conn.cursor(row_factory=class_row(SocBlsMetrics)) as cur:
        return cur.execute(
            "SELECT * FROM marts.soc_bls_metrics WHERE data_version = %s AND soc_code = %s",
            (data_version, soc_code),
        ).fetchone()
