{{
    config(
        indexes=[
            {'columns': ['data_version', 'task_id'], 'unique': true},
            {'columns': ['data_version', 'onetsoc_code']},
            {'columns': ['data_version', 'soc_code']},
        ]
    )
}}

select
    data_version,
    task_id,
    onetsoc_code,
    soc_code,
    task_statement,
    task_type,
    incumbents_responding,
    date,
    domain_source
from {{ ref('stg_onet__task_statements') }}
where data_version = {{ current_data_version() }}
