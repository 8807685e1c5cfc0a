/*
  Each O*NET SOC code of a data_version with its OEWS employment and wages and its projections (growth,
  annual openings, entry requirements): the BLS link joined to both tables. A view, so a BLS reload shows
  at once in what the API reads (occupation pages, rankings, transitions), without a rebuild.
*/
with links as (
    select * from {{ ref('stg_bls__soc_links') }}
),

oews as (
    select * from {{ ref('stg_bls__oews_metrics') }}
),

projections as (
    select * from {{ ref('stg_bls__projections') }}
)

select
    links.data_version,
    links.soc_code,
    links.ref_year_month,
    links.oews_soc_code,
    links.oews_match_type,
    oews.title as oews_title,
    oews.employment,
    oews.employment_flag,
    oews.median_annual_wage,
    oews.median_annual_wage_flag,
    oews.median_hourly_wage,
    oews.median_hourly_wage_flag,
    oews.mean_annual_wage,
    oews.mean_annual_wage_flag,
    links.projection_period,
    links.proj_soc_code,
    links.proj_match_type,
    projections.title as proj_title,
    projections.employment_base,
    projections.employment_projected,
    projections.employment_change,
    projections.growth_pct,
    projections.annual_openings,
    projections.median_annual_wage as proj_median_annual_wage,
    projections.median_annual_wage_flag as proj_median_annual_wage_flag,
    projections.typical_education,
    projections.work_experience,
    projections.on_the_job_training
from links
left join oews
    on oews.ref_year_month = links.ref_year_month and oews.soc_code = links.oews_soc_code
left join projections
    on projections.projection_period = links.projection_period and projections.soc_code = links.proj_soc_code
