with source as (
    select * from {{ source('onet_raw', 'task_statements') }}
)

select
    data_version,
    cast(task_id as integer) as task_id,
    onetsoc_code,
    left(onetsoc_code, 7) as soc_code,
    task as task_statement,
    task_type,
    cast(incumbents_responding as integer) as incumbents_responding,
    date,
    domain_source
from source
