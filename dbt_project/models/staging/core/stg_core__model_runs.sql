with source as (
    select * from {{ source('core', 'model_run') }}
)

select
    run_id,
    model,
    created_at as run_created_at,
    status as run_status
from source
