with source as (
    select * from {{ source('onet_raw', 'job_zones') }}
)

select
    data_version,
    onetsoc_code,
    cast(job_zone as integer) as job_zone,
    date,
    domain_source
from source
