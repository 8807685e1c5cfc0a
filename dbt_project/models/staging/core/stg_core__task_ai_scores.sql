with source as (
    select * from {{ source('core', 'task_ai_score') }}
)

select
    data_version,
    cast(task_id as integer) as task_id,
    model,
    run_id,
    cast(score as double precision) as score,
    model_version,
    prompt_version,
    rationale,
    created_at
from source
