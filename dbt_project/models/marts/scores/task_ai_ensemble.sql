{{ config(indexes=[{'columns': ['data_version', 'task_id'], 'unique': true}]) }}

-- Across models, each counted by its latest run: population std (the models are the whole ensemble,
-- not a sample of one), 0 when one model scored the task.
with scores as (
    select * from {{ ref('int_task_ai_scores_filtered_to_latest_run') }}
    where data_version = {{ current_data_version() }}
)

select
    data_version,
    task_id,
    avg(score) as mean,
    stddev_pop(score) as std,
    min(score) as min,
    max(score) as max,
    count(*) as n_models,
    max(created_at) as updated_at
from scores
group by data_version, task_id
