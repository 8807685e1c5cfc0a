{{
    config(
        indexes=[
            {'columns': ['data_version', 'onetsoc_code', 'task_id']},
            {'columns': ['data_version', 'task_id']},
        ]
    )
}}

select
    data_version,
    onetsoc_code,
    task_id,
    scale_id,
    category,
    data_value,
    n,
    standard_error,
    lower_ci_bound,
    upper_ci_bound,
    recommend_suppress,
    date,
    domain_source
from {{ ref('stg_onet__task_ratings') }}
where data_version = {{ current_data_version() }}
