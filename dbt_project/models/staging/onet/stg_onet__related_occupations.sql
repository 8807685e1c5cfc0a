with source as (
    select * from {{ source('onet_raw', 'related_occupations') }}
)

select
    data_version,
    onetsoc_code,
    related_onetsoc_code,
    relatedness_tier,
    cast(index as integer) as relatedness_index
from source
