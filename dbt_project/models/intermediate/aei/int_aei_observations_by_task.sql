/* Each O*NET task (data_version, task_id) with what each AEI release observed of it: penetration, and the
   automation / augmentation shares. A task matched by several texts gets their mean. */
with matches as (
    select distinct aei_release, data_version, task_text, task_id from {{ ref('stg_aei__task_matches') }}
),

penetration as (
    select aei_release, task_text, avg(penetration) as penetration
    from {{ ref('stg_aei__task_penetration') }}
    group by aei_release, task_text
),

interactions as (
    select aei_release, task_text, avg(automation) as automation, avg(augmentation) as augmentation
    from {{ ref('stg_aei__task_interactions') }}
    group by aei_release, task_text
)

select
    matches.aei_release,
    matches.data_version,
    matches.task_id,
    avg(penetration.penetration) as penetration,
    avg(interactions.automation) as automation,
    avg(interactions.augmentation) as augmentation
from matches
left join penetration using (aei_release, task_text)
left join interactions using (aei_release, task_text)
where penetration.penetration is not null or interactions.automation is not null
group by matches.aei_release, matches.data_version, matches.task_id
