-- One row per rated (data_version, onetsoc_code, task_id): importance, relevance and one frequency figure.
with ratings as (
    select * from {{ ref('stg_onet__task_ratings') }}
)

select
    data_version,
    onetsoc_code,
    task_id,
    max(data_value) filter (where scale_id = 'IM') as importance,
    max(data_value) filter (where scale_id = 'RT') as relevance,
    -- Expected FT category: the respondent-weighted mean of categories 1 (yearly or less) .. 7 (hourly
    -- or more). Divided by the observed total because published percentages sum to about, not exactly, 100.
    sum(category * data_value) filter (where scale_id = 'FT')
        / nullif(sum(data_value) filter (where scale_id = 'FT'), 0) as frequency
from ratings
group by data_version, onetsoc_code, task_id
