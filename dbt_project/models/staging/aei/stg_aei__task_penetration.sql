select
    aei_release,
    task_text,
    penetration
from {{ source('aei', 'task_penetration') }}
