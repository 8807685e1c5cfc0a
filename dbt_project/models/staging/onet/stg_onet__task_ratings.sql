with source as (
    select * from {{ source('onet_raw', 'task_ratings') }}
)

select
    data_version,
    onetsoc_code,
    cast(task_id as integer) as task_id,
    scale_id,
    -- FT categories are 1-7; IM and RT have none (NULL).
    cast(category as integer) as category,
    cast(data_value as numeric) as data_value,
    cast(n as integer) as n,
    cast(standard_error as numeric) as standard_error,
    cast(lower_ci_bound as numeric) as lower_ci_bound,
    cast(upper_ci_bound as numeric) as upper_ci_bound,
    recommend_suppress,
    date,
    domain_source
from source
