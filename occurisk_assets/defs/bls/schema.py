"""The `bls` schema: tables, the link table and the view the API reads. Created idempotently before
every load (`ensure_schema`)."""

from __future__ import annotations

import psycopg

from occurisk_assets import data_generation
from occurisk_assets.defs.bls import oews, projections

FLAGS = "('suppressed', 'top_coded')"
MATCH_TYPES = "('exact', 'crosswalk', 'aggregate', 'soc_2010', 'none')"
SQL_TYPES = {"integer": "integer", "numeric": "numeric"}


def measure_ddl(measures: list[tuple[str, str]]) -> str:
    """`<col> <type>, <col>_flag text` for each measure, with the rule: NULL exactly when flagged."""
    lines = []
    for column, kind in measures:
        lines.append(f"{column} {SQL_TYPES[kind]},")
        lines.append(f"{column}_flag text CHECK ({column}_flag IN {FLAGS}),")
        lines.append(
            f"CONSTRAINT {column}_null_iff_flagged CHECK (({column} IS NULL) <> ({column}_flag IS NULL)),"
        )
    return "\n    ".join(lines)


OEWS_MEASURES = [(m.column, m.kind) for m in oews.MEASURES]
PROJ_MEASURES = [(column, kind) for column, _, kind, _ in projections.MEASURE_TEMPLATES]

DDL = f"""
CREATE SCHEMA IF NOT EXISTS bls;

CREATE TABLE IF NOT EXISTS bls.bls_oews_metrics (
    ref_year_month      text NOT NULL CHECK (ref_year_month ~ '^\\d{{4}}-\\d{{2}}$'),
    soc_code            text NOT NULL CHECK (soc_code ~ '^\\d{{2}}-\\d{{4}}$'),
    o_group             text NOT NULL CHECK (o_group IN ('total', 'major', 'minor', 'broad', 'detailed')),
    aggregated_to_broad boolean NOT NULL,
    title               text NOT NULL,
    annual_only         boolean NOT NULL,
    hourly_only         boolean NOT NULL,
    {measure_ddl(OEWS_MEASURES)}
    sheet_row           integer NOT NULL,
    loaded_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (ref_year_month, soc_code)
);

CREATE TABLE IF NOT EXISTS bls.bls_proj_metrics (
    projection_period   text NOT NULL CHECK (projection_period ~ '^\\d{{4}}-\\d{{4}}$'),
    soc_code            text NOT NULL CHECK (soc_code ~ '^\\d{{2}}-\\d{{4}}$'),
    title               text NOT NULL,
    occupation_type     text NOT NULL CHECK (occupation_type IN ('line_item', 'summary')),
    {measure_ddl(PROJ_MEASURES)}
    typical_education   text,
    work_experience     text,
    on_the_job_training text,
    sheet_row           integer NOT NULL,
    loaded_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (projection_period, soc_code)
);

CREATE TABLE IF NOT EXISTS bls.nem_onet_crosswalk (
    projection_period   text NOT NULL,
    onetsoc_code        text NOT NULL CHECK (onetsoc_code ~ '^\\d{{2}}-\\d{{4}}\\.\\d{{2}}$'),
    onetsoc_title       text NOT NULL,
    nem_code            text NOT NULL CHECK (nem_code ~ '^\\d{{2}}-\\d{{4}}$'),
    nem_title           text NOT NULL,
    sheet_row           integer NOT NULL,
    loaded_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (projection_period, onetsoc_code)
);

CREATE TABLE IF NOT EXISTS bls.nem_occupational_coverage (
    projection_period   text NOT NULL,
    nem_code            text NOT NULL CHECK (nem_code ~ '^\\d{{2}}-\\d{{4}}$'),
    title               text NOT NULL,
    occupation_type     text NOT NULL CHECK (occupation_type IN ('line_item', 'summary', 'exclude')),
    level               smallint NOT NULL,
    sheet_row           integer NOT NULL,
    loaded_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (projection_period, nem_code)
);

CREATE TABLE IF NOT EXISTS bls.soc_2010_2018_crosswalk (
    soc_2010_code       text NOT NULL,
    soc_2010_title      text NOT NULL,
    soc_2018_code       text NOT NULL,
    soc_2018_title      text NOT NULL,
    sheet_row           integer NOT NULL,
    loaded_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (soc_2010_code, soc_2018_code)
);

-- One row per O*NET SOC code of a data_version: which OEWS row and which projections row describe it.
CREATE TABLE IF NOT EXISTS bls.soc_bls_link (
    data_version        text NOT NULL,
    soc_code            text NOT NULL,
    ref_year_month      text NOT NULL,
    oews_soc_code       text,
    oews_match_type     text NOT NULL CHECK (oews_match_type IN {MATCH_TYPES}),
    projection_period   text NOT NULL,
    proj_soc_code       text,
    proj_match_type     text NOT NULL CHECK (proj_match_type IN {MATCH_TYPES}),
    built_at            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (data_version, soc_code),
    CHECK ((oews_soc_code IS NULL) = (oews_match_type = 'none')),
    CHECK ((proj_soc_code IS NULL) = (proj_match_type = 'none'))
);

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
"""


def ensure_schema(conn: psycopg.Connection) -> None:
    """Create what is missing; serialised so that concurrent first loads do not race on CREATE."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('occurisk.bls.schema'))")
        conn.execute(DDL)
    # Served live through the view bls.soc_bls_metrics.
    data_generation.ensure(conn, ("bls.bls_oews_metrics", "bls.bls_proj_metrics", "bls.soc_bls_link"))
