{{
    config(
        indexes=[{'columns': ['data_version', 'soc_code', 'related_soc_code'], 'unique': true}],
    )
}}

/*
  O*NET's related occupations lifted to SOC codes: a SOC is related to another when any of its O*NET-SOC
  occupations lists one of the other's. The pair keeps its closest tier (Primary-Short, then Primary-Long,
  then Supplemental) and best index; relatedness_rank orders a SOC's related SOCs by both.
*/
with occupations as (
    select data_version, onetsoc_code, soc_code from {{ ref('occupation_master') }}
    where data_version = {{ current_data_version() }}
),

related as (
    select data_version, onetsoc_code, related_onetsoc_code, relatedness_tier, relatedness_index
    from {{ ref('stg_onet__related_occupations') }}
    where data_version = {{ current_data_version() }}
),

pairs as (
    select
        related.data_version,
        occupation.soc_code,
        related_occupation.soc_code as related_soc_code,
        min(case related.relatedness_tier when 'Primary-Short' then 1 when 'Primary-Long' then 2 else 3 end)
            as tier_order,
        min(related.relatedness_index) as best_index
    from related
    inner join occupations as occupation
        on occupation.data_version = related.data_version and occupation.onetsoc_code = related.onetsoc_code
    inner join occupations as related_occupation
        on related_occupation.data_version = related.data_version
        and related_occupation.onetsoc_code = related.related_onetsoc_code
    where occupation.soc_code <> related_occupation.soc_code
    group by related.data_version, occupation.soc_code, related_occupation.soc_code
)

select
    data_version,
    soc_code,
    related_soc_code,
    case tier_order when 1 then 'Primary-Short' when 2 then 'Primary-Long' else 'Supplemental' end
        as relatedness_tier,
    row_number() over (partition by data_version, soc_code order by tier_order, best_index, related_soc_code)
        as relatedness_rank
from pairs
