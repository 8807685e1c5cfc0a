/*
  Observed use of AI per SOC occupation of a data_version, per AEI release: the release's own
  observed_exposure (joined by SOC code: AEI's SOC 2018 codes are the O*NET-SOC codes' first seven
  characters), and aggregates of its task observations with the AI score's task weights
  (marts.occupation_task_weight): penetration = Σ weight × penetration over observed tasks, renormalised,
  with the weight share those tasks carry (coverage); automation share = Σ weight × automation /
  Σ weight × (automation + augmentation). A view, so a new AEI release or match shows without a rebuild.
*/
with weights as (
    select data_version, soc_code, task_id, weight from {{ ref('occupation_task_weight') }}
),

observations as (
    select * from {{ ref('int_aei_observations_by_task') }}
),

by_tasks as (
    select
        observations.aei_release,
        weights.data_version,
        weights.soc_code,
        sum(weights.weight * observations.penetration)
            / nullif(sum(weights.weight) filter (where observations.penetration is not null), 0) as penetration,
        sum(weights.weight) filter (where observations.penetration is not null) as penetration_coverage,
        count(*) filter (where observations.penetration is not null) as n_tasks_observed,
        sum(weights.weight * observations.automation)
            / nullif(sum(weights.weight * (observations.automation + observations.augmentation)), 0)
            as automation_share,
        sum(weights.weight * observations.augmentation)
            / nullif(sum(weights.weight * (observations.automation + observations.augmentation)), 0)
            as augmentation_share
    from weights
    inner join observations using (data_version, task_id)
    group by observations.aei_release, weights.data_version, weights.soc_code
),

occupations as (
    select distinct data_version, soc_code from {{ ref('occupation_task_weight') }}
),

by_code as (
    select
        exposure.aei_release,
        occupations.data_version,
        occupations.soc_code,
        exposure.observed_exposure
    from occupations
    inner join {{ ref('stg_aei__job_exposure') }} as exposure using (soc_code)
),

combined as (
    select
        coalesce(by_code.aei_release, by_tasks.aei_release) as aei_release,
        coalesce(by_code.data_version, by_tasks.data_version) as data_version,
        coalesce(by_code.soc_code, by_tasks.soc_code) as soc_code,
        by_code.observed_exposure,
        by_tasks.penetration,
        by_tasks.penetration_coverage,
        coalesce(by_tasks.n_tasks_observed, 0) as n_tasks_observed,
        by_tasks.automation_share,
        by_tasks.augmentation_share
    from by_code
    full outer join by_tasks using (aei_release, data_version, soc_code)
)

select
    combined.aei_release,
    releases.published_on,
    combined.data_version,
    combined.soc_code,
    combined.observed_exposure,
    combined.penetration,
    combined.penetration_coverage,
    combined.n_tasks_observed,
    combined.automation_share,
    combined.augmentation_share
from combined
inner join {{ ref('stg_aei__releases') }} as releases using (aei_release)
