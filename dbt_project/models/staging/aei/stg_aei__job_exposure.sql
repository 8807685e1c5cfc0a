select
    aei_release,
    soc_code,
    title,
    observed_exposure
from {{ source('aei', 'job_exposure') }}
