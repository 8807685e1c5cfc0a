"""bls.soc_bls_metrics leaves the migrations: the join of the BLS link to the OEWS and projections tables is
a pure transform, now the dbt view marts.soc_bls_metrics (dbt_project/models/views), built after the link
(the Dagster asset bls_dbt_models). The API reads that one.

Revision ID: 0010
"""

from alembic import op

from occurisk_assets.migrations.sql import run_sql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(op, "DROP VIEW IF EXISTS bls.soc_bls_metrics")


def downgrade() -> None:
    run_sql(
        op,
        """
CREATE OR REPLACE VIEW bls.soc_bls_metrics AS
SELECT l.data_version, l.soc_code,
       l.ref_year_month, l.oews_soc_code, l.oews_match_type,
       o.title AS oews_title, o.employment, o.employment_flag,
       o.median_annual_wage, o.median_annual_wage_flag, o.median_hourly_wage, o.median_hourly_wage_flag,
       o.mean_annual_wage, o.mean_annual_wage_flag,
       l.projection_period, l.proj_soc_code, l.proj_match_type,
       p.title AS proj_title, p.employment_base, p.employment_projected, p.employment_change,
       p.growth_pct, p.annual_openings, p.median_annual_wage AS proj_median_annual_wage,
       p.median_annual_wage_flag AS proj_median_annual_wage_flag,
       p.typical_education, p.work_experience, p.on_the_job_training
FROM bls.soc_bls_link l
LEFT JOIN bls.bls_oews_metrics o ON o.ref_year_month = l.ref_year_month AND o.soc_code = l.oews_soc_code
LEFT JOIN bls.bls_proj_metrics p ON p.projection_period = l.projection_period AND p.soc_code = l.proj_soc_code;
""",
    )
