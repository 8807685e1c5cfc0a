with source as (
    select * from {{ source('bls', 'soc_bls_link') }}
)

select
    data_version,
    soc_code,
    ref_year_month,
    oews_soc_code,
    oews_match_type,
    projection_period,
    proj_soc_code,
    proj_match_type
from source
