{{
    config(
        indexes=[
            {'columns': ['data_version', 'task_id'], 'unique': true},
            {'columns': ['data_version', 'soc_code']},
        ]
    )
}}

/*
  Task weights per SOC occupation, summing to 1 per (data_version, soc_code). Several O*NET-SOC codes can
  share one SOC (11-1011.00 and 11-1011.03 are both SOC 11-1011): each O*NET-SOC code that has tasks gets
  an equal share of the SOC, spread over its tasks by weight_within_occupation.
*/
with task_weights as (
    select * from {{ ref('int_tasks_weighted_within_occupations') }}
    where data_version = {{ current_data_version() }}
),

soc_shares as (
    select
        data_version,
        soc_code,
        1.0::double precision / count(distinct onetsoc_code) as occupation_share
    from task_weights
    group by data_version, soc_code
)

select
    task_weights.data_version,
    task_weights.soc_code,
    task_weights.task_id,
    task_weights.onetsoc_code,
    soc_shares.occupation_share * task_weights.weight_within_occupation as weight,
    task_weights.weight_method,
    task_weights.raw_weight,
    task_weights.is_weight_imputed
from task_weights
inner join soc_shares using (data_version, soc_code)
