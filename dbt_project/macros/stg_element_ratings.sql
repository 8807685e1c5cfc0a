{#-
  Staging of an O*NET element-rating file (Skills, Knowledge, Abilities, Work Activities, Work Context):
  one row per (occupation, element, scale[, category]), typed, with the SOC code and the file's domain.
  Rows O*NET recommends suppressing (too few respondents or too imprecise) are kept and flagged.
-#}
{% macro stg_element_ratings(table, domain, has_category=false) -%}
with source as (
    select * from {{ source('onet_raw', table) }}
)

select
    data_version,
    onetsoc_code,
    left(onetsoc_code, 7) as soc_code,
    '{{ domain }}'::text as domain,
    element_id,
    element_name,
    scale_id,
    {% if has_category -%} cast(category as integer) {%- else -%} null::integer {%- endif %} as category,
    cast(data_value as double precision) as data_value,
    cast(n as integer) as n_respondents,
    cast(standard_error as double precision) as standard_error,
    coalesce(recommend_suppress = 'Y', false) as is_suppress_recommended,
    coalesce(not_relevant = 'Y', false) as is_not_relevant,
    date,
    domain_source
from source
{%- endmacro %}
