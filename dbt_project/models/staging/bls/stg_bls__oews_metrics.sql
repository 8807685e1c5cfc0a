with source as (
    select * from {{ source('bls', 'bls_oews_metrics') }}
)

select
    ref_year_month,
    soc_code,
    title,
    employment,
    employment_flag,
    median_annual_wage,
    median_annual_wage_flag,
    median_hourly_wage,
    median_hourly_wage_flag,
    mean_annual_wage,
    mean_annual_wage_flag
from source
