{{ config(indexes=[{'columns': ['data_version'], 'unique': true}]) }}

-- Which weighting rule produced each version's occupation_task_weight (one row per data_version).
with weights as (
    select * from {{ ref('occupation_task_weight') }}
    where data_version = {{ current_data_version() }}
),

rating_rows as (
    select data_version, count(*) as n_task_rating_rows
    from {{ ref('stg_onet__task_ratings') }}
    where data_version = {{ current_data_version() }}
    group by data_version
),

methods as (
    select
        data_version,
        count(distinct onetsoc_code) filter (where weight_method = 'task_ratings') as n_occupations_task_ratings,
        count(distinct onetsoc_code) filter (where weight_method = 'task_type') as n_occupations_task_type,
        count(*) filter (where is_weight_imputed) as n_tasks_imputed,
        count(distinct soc_code) as n_soc_codes,
        count(*) as n_tasks
    from weights
    group by data_version
)

select
    methods.data_version,
    case
        when methods.n_occupations_task_ratings = 0 then 'task_type'
        when methods.n_occupations_task_type = 0 then 'task_ratings'
        else 'mixed'
    end as weight_method,
    coalesce(rating_rows.n_task_rating_rows, 0) > 0 as has_task_ratings,
    coalesce(rating_rows.n_task_rating_rows, 0) as n_task_rating_rows,
    methods.n_occupations_task_ratings,
    methods.n_occupations_task_type,
    methods.n_tasks_imputed,
    methods.n_soc_codes,
    methods.n_tasks
from methods
left join rating_rows using (data_version)
