with source as (
    select * from {{ source('bls', 'bls_proj_metrics') }}
)

select
    projection_period,
    soc_code,
    title,
    employment_base,
    employment_projected,
    employment_change,
    growth_pct,
    annual_openings,
    median_annual_wage,
    median_annual_wage_flag,
    typical_education,
    work_experience,
    on_the_job_training
from source
