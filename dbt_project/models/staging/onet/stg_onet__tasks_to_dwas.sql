with source as (
    select * from {{ source('onet_raw', 'tasks_to_dwas') }}
)

select
    data_version,
    onetsoc_code,
    left(onetsoc_code, 7) as soc_code,
    cast(task_id as integer) as task_id,
    dwa_id,
    date,
    domain_source
from source
