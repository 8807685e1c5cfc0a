/* The matched (text, O*NET task) pairs; texts left unmatched are listed in the source table, not here. */
select
    aei_release,
    data_version,
    task_text,
    onetsoc_code,
    task_id,
    method,
    similarity
from {{ source('aei', 'task_match') }}
where method <> 'none'
