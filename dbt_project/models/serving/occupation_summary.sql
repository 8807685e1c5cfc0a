{{
    config(
        indexes=[
            {'columns': ['data_version', 'soc_code'], 'unique': true},
            {'columns': ['data_version', 'ai_mean desc nulls last', 'soc_code']},
            {'columns': ['data_version', 'ai_mean asc nulls last', 'soc_code']},
            {'columns': ['data_version', 'title', 'soc_code']},
        ],
    )
}}

/*
  One row per SOC occupation: what the API lists, ranks and shows. The SOC's title and description are those
  of its first O*NET-SOC occupation (the .00 one where it exists); the AI score is occupation_ai_score's, with
  rank 1 = the highest mean and percentile = the share of scored SOCs with a lower mean (0-100). BLS figures
  are not copied here: the API joins marts.soc_bls_metrics (a view) when it reads, so a BLS reload shows at once and a
  missing BLS load blocks nothing. The (ai_mean, soc_code) and (title, soc_code) indexes let the API read
  the pages of those sorts in index order.
*/
with occupations as (
    select * from {{ ref('occupation_master') }}
    where data_version = {{ current_data_version() }}
),

socs as (
    select
        data_version,
        soc_code,
        (array_agg(title order by onetsoc_code))[1] as title,
        (array_agg(description order by onetsoc_code))[1] as description,
        (array_agg(job_zone order by onetsoc_code) filter (where job_zone is not null))[1] as job_zone,
        count(*) as n_onet_occupations,
        sum(n_tasks) as n_tasks
    from occupations
    group by data_version, soc_code
),

scores_rounded as (
    -- Rounded to the 4 decimals every API answer has (api/schemas.py, ANSWER_DECIMALS): float noise like a
    -- coverage of 1.0000000000000002 means nothing to a reader. Ranks are computed on the rounded means, so
    -- that they agree with the scores the API shows and sorts by.
    select
        data_version,
        soc_code,
        round(mean::numeric, 4)::double precision as mean,
        round(std::numeric, 4)::double precision as std,
        round(coverage::numeric, 4)::double precision as coverage,
        n_tasks_scored,
        n_models,
        updated_at
    from {{ ref('occupation_ai_score') }}
    where data_version = {{ current_data_version() }} and mean is not null
),

scores as (
    select
        *,
        rank() over (partition by data_version order by mean desc) as ai_rank,
        round((100 * percent_rank() over (partition by data_version order by mean))::numeric, 2)::double precision
            as ai_percentile,
        count(*) over (partition by data_version) as n_ranked
    from scores_rounded
)

select
    socs.data_version,
    socs.soc_code,
    socs.title,
    socs.description,
    left(socs.soc_code, 2) || '-0000' as major_group,
    socs.job_zone,
    socs.n_onet_occupations,
    socs.n_tasks,
    scores.mean as ai_mean,
    scores.std as ai_std,
    scores.coverage as ai_coverage,
    scores.n_tasks_scored as ai_n_tasks_scored,
    scores.n_models as ai_n_models,
    scores.updated_at as ai_updated_at,
    scores.ai_rank,
    scores.ai_percentile,
    scores.n_ranked
from socs
left join scores using (data_version, soc_code)
