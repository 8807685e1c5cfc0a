{{
    config(
        indexes=[
            {'columns': ['data_version', 'task_id'], 'unique': true},
            {'columns': ['data_version', 'priority_rank'], 'unique': true},
            {'columns': ['data_version', 'onetsoc_code']},
            {'columns': ['data_version', 'soc_code']},
        ]
    )
}}

with tasks as (
    select * from {{ ref('stg_onet__task_statements') }}
    where data_version = {{ current_data_version() }}
),

occupations as (
    select data_version, onetsoc_code, title from {{ ref('stg_onet__occupations') }}
    where data_version = {{ current_data_version() }}
),

ratings as (
    select * from {{ ref('int_task_ratings_pivoted_to_tasks') }}
    where data_version = {{ current_data_version() }}
),

catalog as (
    select
        tasks.data_version,
        tasks.task_id,
        tasks.onetsoc_code,
        tasks.soc_code,
        occupations.title as occupation_title,
        tasks.task_statement,
        tasks.task_type,
        ratings.importance,
        ratings.relevance,
        ratings.frequency,
        ratings.importance * ratings.frequency as priority_score,
        case tasks.task_type when 'Core' then 1 when 'Supplemental' then 2 else 3 end as task_type_order,
        md5(tasks.task_statement) as text_hash
    from tasks
    left join occupations using (data_version, onetsoc_code)
    left join ratings using (data_version, onetsoc_code, task_id)
)

select
    data_version,
    task_id,
    onetsoc_code,
    soc_code,
    occupation_title,
    task_statement,
    task_type,
    importance,
    relevance,
    frequency,
    -- Rated tasks first by importance x frequency; ties and unrated tasks by task type, then task_id.
    row_number() over (
        partition by data_version
        order by priority_score desc nulls last, task_type_order, task_id
    ) as priority_rank,
    row_number() over (
        partition by data_version, onetsoc_code
        order by priority_score desc nulls last, task_type_order, task_id
    ) as priority_rank_in_occupation,
    text_hash
from catalog
