with source as (
    select * from {{ source('onet_raw', 'alternate_titles') }}
)

select
    data_version,
    onetsoc_code,
    alternate_title,
    short_title,
    source_s as title_sources
from source
