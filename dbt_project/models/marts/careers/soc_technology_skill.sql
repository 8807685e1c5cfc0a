{{ config(indexes=[{'columns': ['data_version', 'soc_code', 'commodity_code'], 'unique': true}]) }}

-- The kinds of software (UNSPSC commodities, e.g. 'Spreadsheet software') each SOC's occupations use, with
-- how many named examples and whether any is a hot technology.
select
    data_version,
    soc_code,
    commodity_code,
    min(commodity_title) as commodity_title,
    count(distinct technology_example) as n_examples,
    bool_or(is_hot_technology) as has_hot_technology
from {{ ref('stg_onet__technology_skills') }}
where data_version = {{ current_data_version() }}
group by data_version, soc_code, commodity_code
