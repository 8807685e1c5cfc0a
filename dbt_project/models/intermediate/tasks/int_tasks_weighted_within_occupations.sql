/*
  Each task's weight inside its O*NET-SOC occupation (sums to 1 per data_version, onetsoc_code).

  An occupation with at least one fully rated task (IM, RT and FT present, positive total) is weighted
  from its ratings: raw_weight = importance (1-5) * relevance / 100 * frequency (expected FT category 1-7).
  Its unrated tasks (analyst-only, or not in the rating survey) get the mean raw_weight of its rated tasks.
  Every other occupation is weighted by task type (Eloundou et al. 2023): core 2, supplemental 1, and
  analyst-only tasks (task type n/a) 1.
*/
with tasks as (
    select data_version, onetsoc_code, soc_code, task_id, task_type
    from {{ ref('stg_onet__task_statements') }}
),

ratings as (
    select * from {{ ref('int_task_ratings_pivoted_to_tasks') }}
),

tasks_with_rating_weight as (
    select
        tasks.*,
        ratings.importance * ratings.relevance / 100.0 * ratings.frequency as rating_weight
    from tasks
    left join ratings using (data_version, onetsoc_code, task_id)
),

occupations as (
    select
        data_version,
        onetsoc_code,
        coalesce(sum(rating_weight), 0) > 0 as is_rated,
        avg(rating_weight) as mean_rating_weight
    from tasks_with_rating_weight
    group by data_version, onetsoc_code
),

raw_weights as (
    select
        tasks.data_version,
        tasks.onetsoc_code,
        tasks.soc_code,
        tasks.task_id,
        case when occupations.is_rated then 'task_ratings' else 'task_type' end as weight_method,
        cast(
            case
                when occupations.is_rated then coalesce(tasks.rating_weight, occupations.mean_rating_weight)
                when tasks.task_type = 'Core' then 2
                else 1
            end as double precision
        ) as raw_weight,
        occupations.is_rated and tasks.rating_weight is null as is_weight_imputed
    from tasks_with_rating_weight as tasks
    inner join occupations using (data_version, onetsoc_code)
)

select
    *,
    raw_weight / sum(raw_weight) over (partition by data_version, onetsoc_code) as weight_within_occupation
from raw_weights
