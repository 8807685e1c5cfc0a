{{
    config(
        pre_hook=["set local work_mem = '128MB'", "set local enable_mergejoin = off"],
        indexes=[
            {'columns': ['data_version', 'soc_code', 'target_soc_code'], 'unique': true},
            {'columns': ['data_version', 'soc_code', 'transition_score desc', 'target_soc_code']},
        ],
    )
}}

/*
  Every candidate move from a scored SOC: its 50 most similar scored SOCs, with what the filters and the
  ranking need (docs/methodology.md, "Safer next occupations"). Filters are applied when read (the API,
  occurisk_assets/defs/careers/transitions.py), so that a user can change them:
  - is_safer: the target's AI score is lower by more than the combined uncertainty
    sqrt(std_source^2 + std_target^2) (a missing std counts as 0), by more than 1e-9;
  - job_zone_change, wage_ratio (OEWS median annual wages; NULL when either is suppressed or top-coded).
  transition_score = 0.5 closeness + 0.3 exposure_drop + 0.1 growth_percentile + 0.1 openings_percentile:
  closeness = 1 - (similarity_rank - 1) / 50 (1 for the most similar SOC, 0.02 less per place: similarities
  of the 50 nearest are close together, their order is what says most); exposure_drop = max(0, source -
  target) / source (the share of the source's exposure left behind); percentiles among the version's SOCs
  with projections, 0.5 where the target has none.
  carries_over: up to 5 detailed work activities both do, then up to 3 skills important (IM >= 3) to both.
  The pair x element joins sort a few hundred thousand rows: work_mem is raised for this model's
  transaction so that they sort in memory, not in temporary files, and merge joins are off for it: the
  planner's merge joins re-sorted those rows on text keys, hash joins build the same rows in 5.1 s, not 6.5.
  skill_gaps: skills and knowledge important to the target (IM >= 3, 'important' on O*NET's 1-5 scale) where
  it needs a level at least 0.75 higher (LV, 0-7 scale) than the source has: more than twice the typical
  sampling error of such a difference (each O*NET level estimate has a standard error of about 0.16).
*/
{% set top_candidates = 50 %}
{% set important = 3.0 %}
{% set clear_gap = 0.75 %}

with neighbours as (
    select * from {{ ref('stg_careers__occupation_similarity') }}
    where data_version = {{ current_data_version() }} and similarity_rank <= {{ top_candidates }}
),

summary as (
    select data_version, soc_code, title, job_zone, ai_mean, ai_std from {{ ref('occupation_summary') }}
    where data_version = {{ current_data_version() }} and ai_mean is not null
),

bls as (
    select
        data_version,
        soc_code,
        median_annual_wage,
        median_annual_wage_flag,
        growth_pct,
        annual_openings
    from {{ ref('soc_bls_metrics') }}
    where data_version = {{ current_data_version() }}
),

outlook as (
    select
        data_version,
        soc_code,
        percent_rank() over (partition by data_version order by growth_pct) as growth_percentile,
        percent_rank() over (partition by data_version order by annual_openings) as openings_percentile
    from bls
    where growth_pct is not null and annual_openings is not null
),

pairs as (
    select
        neighbours.data_version,
        neighbours.soc_code,
        neighbours.similar_soc_code as target_soc_code,
        target.title as target_title,
        neighbours.similarity,
        neighbours.similarity_rank,
        neighbours.onet_related_tier,
        source_soc.ai_mean as source_ai_mean,
        source_soc.ai_std as source_ai_std,
        target.ai_mean as target_ai_mean,
        target.ai_std as target_ai_std,
        target.ai_mean - source_soc.ai_mean as ai_score_change,
        sqrt(coalesce(source_soc.ai_std, 0) ^ 2 + coalesce(target.ai_std, 0) ^ 2) as ai_score_uncertainty,
        source_soc.job_zone as source_job_zone,
        target.job_zone as target_job_zone,
        target.job_zone - source_soc.job_zone as job_zone_change,
        source_bls.median_annual_wage as source_median_wage,
        target_bls.median_annual_wage as target_median_wage,
        target_bls.median_annual_wage_flag as target_median_wage_flag,
        target_bls.median_annual_wage::double precision / nullif(source_bls.median_annual_wage, 0) as wage_ratio,
        target_bls.growth_pct,
        target_bls.annual_openings,
        outlook.growth_percentile,
        outlook.openings_percentile
    from neighbours
    inner join summary as source_soc
        on source_soc.data_version = neighbours.data_version and source_soc.soc_code = neighbours.soc_code
    inner join summary as target
        on target.data_version = neighbours.data_version and target.soc_code = neighbours.similar_soc_code
    left join bls as source_bls
        on source_bls.data_version = neighbours.data_version and source_bls.soc_code = neighbours.soc_code
    left join bls as target_bls
        on target_bls.data_version = neighbours.data_version and target_bls.soc_code = neighbours.similar_soc_code
    left join outlook
        on outlook.data_version = neighbours.data_version and outlook.soc_code = neighbours.similar_soc_code
),

profiles as (
    select soc_code, domain, element_id, importance, level
    from {{ ref('soc_descriptor_profile') }}
    where data_version = {{ current_data_version() }} and domain in ('skill', 'knowledge')
),

element_names as (
    select distinct domain, element_id, element_name
    from {{ ref('soc_descriptor_profile') }}
    where data_version = {{ current_data_version() }} and domain in ('skill', 'knowledge')
),

-- Only elements important to the target matter to both gaps and matching skills: filtering first keeps
-- the pair x element join small.
element_pairs as (
    select
        pairs.soc_code,
        pairs.target_soc_code,
        target.domain,
        target.element_id,
        source_profile.importance as source_importance,
        source_profile.level as source_level,
        target.importance as target_importance,
        target.level as target_level
    from pairs
    inner join profiles as target
        on target.soc_code = pairs.target_soc_code and target.importance >= {{ important }}
    inner join profiles as source_profile
        on source_profile.soc_code = pairs.soc_code
        and source_profile.domain = target.domain and source_profile.element_id = target.element_id
),

gaps as (
    select
        soc_code,
        target_soc_code,
        jsonb_agg(
            jsonb_build_object(
                'domain', domain, 'element_id', element_id, 'element', names.element_name,
                'your_level', round(source_level::numeric, 2), 'needed_level', round(target_level::numeric, 2),
                'importance', round(target_importance::numeric, 2)
            ) order by target_level - source_level desc, element_id
        ) as skill_gaps
    from element_pairs
    inner join element_names as names using (domain, element_id)
    where target_level - source_level >= {{ clear_gap }}
    group by soc_code, target_soc_code
),

matching_skills as (
    select soc_code, target_soc_code, names.element_name,
        row_number() over (
            partition by soc_code, target_soc_code
            order by least(source_importance, target_importance) desc, element_id
        ) as n
    from element_pairs
    inner join element_names as names using (domain, element_id)
    where domain = 'skill' and source_importance >= {{ important }}
),

dwas as (
    select data_version, soc_code, dwa_id, dwa_title, n_tasks from {{ ref('soc_detailed_work_activity') }}
    where data_version = {{ current_data_version() }}
),

shared_activities as (
    select
        pairs.soc_code,
        pairs.target_soc_code,
        source_dwa.dwa_title,
        row_number() over (
            partition by pairs.soc_code, pairs.target_soc_code
            order by source_dwa.n_tasks + target_dwa.n_tasks desc, source_dwa.dwa_id
        ) as n
    from pairs
    inner join dwas as source_dwa
        on source_dwa.data_version = pairs.data_version and source_dwa.soc_code = pairs.soc_code
    inner join dwas as target_dwa
        on target_dwa.data_version = pairs.data_version and target_dwa.soc_code = pairs.target_soc_code
        and target_dwa.dwa_id = source_dwa.dwa_id
),

carried as (
    select soc_code, target_soc_code, jsonb_agg(item order by ord) as carries_over
    from (
        select soc_code, target_soc_code, n as ord,
            jsonb_build_object('kind', 'work_activity', 'name', dwa_title) as item
        from shared_activities where n <= 5
        union all
        select soc_code, target_soc_code, 100 + n as ord,
            jsonb_build_object('kind', 'skill', 'name', element_name) as item
        from matching_skills where n <= 3
    ) items
    group by soc_code, target_soc_code
)

select
    pairs.*,
    -- 1e-9: scores are served to 4 decimals; a difference equal to the margin is not 'more' by float noise.
    pairs.ai_score_change < -pairs.ai_score_uncertainty - 1e-9 as is_safer,
    greatest(0, -pairs.ai_score_change) / nullif(pairs.source_ai_mean, 0) as exposure_drop,
    1 - (pairs.similarity_rank - 1) / {{ top_candidates }}.0 as closeness,
    0.5 * (1 - (pairs.similarity_rank - 1) / {{ top_candidates }}.0)
    + 0.3 * coalesce(greatest(0, -pairs.ai_score_change) / nullif(pairs.source_ai_mean, 0), 0)
    + 0.1 * coalesce(pairs.growth_percentile, 0.5)
    + 0.1 * coalesce(pairs.openings_percentile, 0.5) as transition_score,
    coalesce(carried.carries_over, '[]'::jsonb) as carries_over,
    coalesce(gaps.skill_gaps, '[]'::jsonb) as skill_gaps
from pairs
left join carried using (soc_code, target_soc_code)
left join gaps using (soc_code, target_soc_code)
