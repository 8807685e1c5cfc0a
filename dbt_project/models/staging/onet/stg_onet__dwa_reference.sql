with source as (
    select * from {{ source('onet_raw', 'dwa_reference') }}
)

select
    data_version,
    dwa_id,
    dwa_title,
    iwa_id,
    element_id as work_activity_element_id
from source
