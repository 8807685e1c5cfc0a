{{
    config(
        indexes=[
            {'columns': ['data_version', 'onetsoc_code'], 'unique': true},
            {'columns': ['data_version', 'soc_code']},
        ]
    )
}}

with occupations as (
    select * from {{ ref('stg_onet__occupations') }}
    where data_version = {{ current_data_version() }}
),

job_zones as (
    select data_version, onetsoc_code, job_zone from {{ ref('stg_onet__job_zones') }}
    where data_version = {{ current_data_version() }}
),

task_counts as (
    select
        data_version,
        onetsoc_code,
        count(*) as n_tasks,
        count(*) filter (where task_type = 'Core') as n_core_tasks,
        count(*) filter (where task_type = 'Supplemental') as n_supplemental_tasks
    from {{ ref('stg_onet__task_statements') }}
    where data_version = {{ current_data_version() }}
    group by data_version, onetsoc_code
),

rated_task_counts as (
    select data_version, onetsoc_code, count(*) as n_rated_tasks
    from {{ ref('int_task_ratings_pivoted_to_tasks') }}
    where data_version = {{ current_data_version() }}
    group by data_version, onetsoc_code
)

select
    occupations.data_version,
    occupations.onetsoc_code,
    occupations.soc_code,
    occupations.title,
    occupations.description,
    job_zones.job_zone,
    coalesce(task_counts.n_tasks, 0) as n_tasks,
    coalesce(task_counts.n_core_tasks, 0) as n_core_tasks,
    coalesce(task_counts.n_supplemental_tasks, 0) as n_supplemental_tasks,
    coalesce(rated_task_counts.n_rated_tasks, 0) as n_rated_tasks
from occupations
left join job_zones using (data_version, onetsoc_code)
left join task_counts using (data_version, onetsoc_code)
left join rated_task_counts using (data_version, onetsoc_code)
