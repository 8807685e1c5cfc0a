with source as (
    select * from {{ source('onet_raw', 'sample_of_reported_titles') }}
)

select
    data_version,
    onetsoc_code,
    reported_job_title,
    coalesce(shown_in_my_next_move = 'Y', false) as is_shown_in_my_next_move
from source
