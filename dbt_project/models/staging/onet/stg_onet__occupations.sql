with source as (
    select * from {{ source('onet_raw', 'occupation_data') }}
)

select
    data_version,
    onetsoc_code,
    left(onetsoc_code, 7) as soc_code,
    title,
    description
from source
