/* Each O*NET task of a data_version with what each AEI release observed of it (see
   int_aei_observations_by_task), and the release's publication date: what the API shows per task. */
select
    observations.aei_release,
    releases.published_on,
    observations.data_version,
    observations.task_id,
    observations.penetration,
    observations.automation,
    observations.augmentation
from {{ ref('int_aei_observations_by_task') }} as observations
inner join {{ ref('stg_aei__releases') }} as releases using (aei_release)
