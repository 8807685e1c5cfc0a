{{ config(indexes=[{'columns': ['data_version', 'soc_code', 'domain', 'element_id'], 'unique': true}]) }}

/*
  Each SOC's descriptor profile: per element of every rating file the release has (skills, knowledge,
  abilities, work activities: importance IM 1-5 and level LV 0-7; work context: the mean context rating CX
  1-5 as the level, no importance), the mean over the SOC's O*NET-SOC occupations that carry the rating.
  A file absent from the release simply yields no rows of its domain.
*/
with ratings as (
    {% for model in ['stg_onet__skills', 'stg_onet__knowledge', 'stg_onet__abilities', 'stg_onet__work_activities'] -%}
    select data_version, onetsoc_code, soc_code, domain, element_id, element_name, scale_id, data_value
    from {{ ref(model) }}
    where data_version = {{ current_data_version() }} and scale_id in ('IM', 'LV')
    union all
    {% endfor -%}
    select data_version, onetsoc_code, soc_code, domain, element_id, element_name, 'LV' as scale_id, data_value
    from {{ ref('stg_onet__work_context') }}
    where data_version = {{ current_data_version() }} and scale_id = 'CX' and category is null
)

select
    data_version,
    soc_code,
    domain,
    element_id,
    min(element_name) as element_name,
    avg(data_value) filter (where scale_id = 'IM') as importance,
    avg(data_value) filter (where scale_id = 'LV') as level,
    count(distinct onetsoc_code) as n_onet_occupations
from ratings
group by data_version, soc_code, domain, element_id
