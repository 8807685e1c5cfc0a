with source as (
    select * from {{ source('careers', 'occupation_similarity') }}
)

select
    data_version,
    soc_code,
    similar_soc_code,
    similarity,
    similarity_rank,
    onet_related_tier
from source
