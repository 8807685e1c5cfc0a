{{
    config(
        indexes=[
            {'columns': ['data_version', 'soc_code', 'model'], 'unique': true},
            {'columns': ['data_version', 'model']},
        ]
    )
}}

-- Each model's own occupation score: the weighted mean of its latest task scores, renormalised over the
-- tasks it scored.
with weights as (
    select data_version, soc_code, task_id, weight from {{ ref('occupation_task_weight') }}
    where data_version = {{ current_data_version() }}
),

scores as (
    select * from {{ ref('int_task_ai_scores_filtered_to_latest_run') }}
    where data_version = {{ current_data_version() }}
)

select
    weights.data_version,
    weights.soc_code,
    scores.model,
    sum(weights.weight * scores.score) / nullif(sum(weights.weight), 0) as score,
    sum(weights.weight) as coverage,
    count(*) as n_tasks_scored,
    max(scores.created_at) as updated_at
from weights
inner join scores using (data_version, task_id)
group by weights.data_version, weights.soc_code, scores.model
