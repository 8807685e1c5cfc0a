select
    aei_release,
    published_on,
    citation
from {{ source('aei', 'release') }}
