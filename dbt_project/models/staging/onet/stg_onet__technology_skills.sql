with source as (
    select * from {{ source('onet_raw', 'technology_skills') }}
)

select
    data_version,
    onetsoc_code,
    left(onetsoc_code, 7) as soc_code,
    example as technology_example,
    cast(commodity_code as integer) as commodity_code,
    commodity_title,
    coalesce(hot_technology = 'Y', false) as is_hot_technology,
    coalesce(in_demand = 'Y', false) as is_in_demand
from source
