{{ config(indexes=[{'columns': ['data_version', 'soc_code'], 'unique': true}]) }}

/*
  mean: the weighted mean of task ensemble means over the SOC's scored tasks (weights renormalised);
  coverage: the share of the SOC's weight carried by scored tasks;
  std: the population spread of the per-model occupation scores (occupation_ai_score_by_model).
*/
with weights as (
    select data_version, soc_code, task_id, weight from {{ ref('occupation_task_weight') }}
    where data_version = {{ current_data_version() }}
),

ensemble as (
    select * from {{ ref('task_ai_ensemble') }}
    where data_version = {{ current_data_version() }}
),

by_model as (
    select
        data_version,
        soc_code,
        stddev_pop(score) as std,
        count(*) as n_models
    from {{ ref('occupation_ai_score_by_model') }}
    where data_version = {{ current_data_version() }}
    group by data_version, soc_code
),

by_task as (
    select
        weights.data_version,
        weights.soc_code,
        sum(weights.weight * ensemble.mean) / nullif(sum(weights.weight), 0) as mean,
        sum(weights.weight) as coverage,
        count(*) as n_tasks_scored,
        max(ensemble.updated_at) as updated_at
    from weights
    inner join ensemble using (data_version, task_id)
    group by weights.data_version, weights.soc_code
)

select
    by_task.data_version,
    by_task.soc_code,
    by_task.mean,
    by_model.std,
    by_task.coverage,
    by_task.n_tasks_scored,
    by_model.n_models,
    by_task.updated_at
from by_task
left join by_model using (data_version, soc_code)
