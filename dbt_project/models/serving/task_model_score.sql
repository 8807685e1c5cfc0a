{{
    config(
        indexes=[{'columns': ['data_version', 'task_id', 'model'], 'unique': true}],
    )
}}

-- Each model's current score of each task (its latest run, as in task_ai_ensemble), with the model version,
-- prompt version and the model's rationale: what the API shows next to a task.
with latest as (
    select * from {{ ref('int_task_ai_scores_filtered_to_latest_run') }}
    where data_version = {{ current_data_version() }}
),

scores as (
    select data_version, task_id, run_id, model_version, prompt_version, rationale
    from {{ ref('stg_core__task_ai_scores') }}
    where data_version = {{ current_data_version() }}
)

select
    latest.data_version,
    latest.task_id,
    latest.model,
    latest.score,
    scores.rationale,
    latest.run_id,
    scores.model_version,
    scores.prompt_version,
    latest.created_at as scored_at
from latest
inner join scores using (data_version, task_id, run_id)
