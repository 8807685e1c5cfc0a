-- Per (data_version, task_id, model): the score from the latest run (by the run's start) that scored it.
-- Older runs stay in core.task_ai_score and remain queryable there.
with scores as (
    select * from {{ ref('stg_core__task_ai_scores') }}
),

runs as (
    select * from {{ ref('stg_core__model_runs') }}
),

ranked as (
    select
        scores.data_version,
        scores.task_id,
        scores.model,
        scores.run_id,
        scores.score,
        scores.created_at,
        row_number() over (
            partition by scores.data_version, scores.task_id, scores.model
            order by runs.run_created_at desc nulls last, scores.created_at desc, scores.run_id desc
        ) as run_recency
    from scores
    left join runs using (run_id)
)

select data_version, task_id, model, run_id, score, created_at
from ranked
where run_recency = 1
