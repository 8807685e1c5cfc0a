{{ config(indexes=[{'columns': ['data_version', 'soc_code', 'dwa_id'], 'unique': true}]) }}

-- The detailed work activities (DWAs) of each SOC: those of its O*NET-SOC occupations' tasks, with how many
-- of its tasks are instances of each.
with task_dwas as (
    select data_version, soc_code, task_id, dwa_id from {{ ref('stg_onet__tasks_to_dwas') }}
    where data_version = {{ current_data_version() }}
),

dwas as (
    select data_version, dwa_id, dwa_title from {{ ref('stg_onet__dwa_reference') }}
    where data_version = {{ current_data_version() }}
)

select
    task_dwas.data_version,
    task_dwas.soc_code,
    task_dwas.dwa_id,
    dwas.dwa_title,
    count(distinct task_dwas.task_id) as n_tasks
from task_dwas
left join dwas using (data_version, dwa_id)
group by task_dwas.data_version, task_dwas.soc_code, task_dwas.dwa_id, dwas.dwa_title
