{{
    config(
        pre_hook="create extension if not exists pg_trgm with schema public",
        indexes=[
            {'columns': ['data_version', 'soc_code']},
            {'columns': ['term_norm public.gin_trgm_ops'], 'type': 'gin'},
            {'columns': ['term_tsv'], 'type': 'gin'},
        ],
    )
}}

/*
  Every name an occupation goes by, one row per (data_version, soc_code, term_norm): O*NET titles of the
  SOC's O*NET-SOC occupations, their alternate titles and short titles, and the job titles incumbents
  reported. The API's search matches these with full-text search (term_tsv) and trigram similarity
  (term_norm) and ranks SOC codes by their best-matching term.
*/
with occupations as (
    select data_version, onetsoc_code, soc_code, title from {{ ref('occupation_master') }}
    where data_version = {{ current_data_version() }}
),

alternate_titles as (
    select data_version, onetsoc_code, alternate_title, short_title from {{ ref('stg_onet__alternate_titles') }}
    where data_version = {{ current_data_version() }}
),

reported_titles as (
    select data_version, onetsoc_code, reported_job_title from {{ ref('stg_onet__reported_titles') }}
    where data_version = {{ current_data_version() }}
),

terms as (
    -- One name can come from several lists: it keeps the first kind here (titles, then the titles
    -- incumbents reported, which O*NET also lists as alternate titles, then alternate and short titles).
    select data_version, soc_code, title as term, 'title' as term_kind, 1 as kind_order
    from occupations
    union all
    select reported_titles.data_version, occupations.soc_code, reported_titles.reported_job_title, 'reported_title', 2
    from reported_titles
    inner join occupations using (data_version, onetsoc_code)
    union all
    select alternate_titles.data_version, occupations.soc_code, alternate_titles.alternate_title, 'alternate_title', 3
    from alternate_titles
    inner join occupations using (data_version, onetsoc_code)
    union all
    select alternate_titles.data_version, occupations.soc_code, alternate_titles.short_title, 'short_title', 4
    from alternate_titles
    inner join occupations using (data_version, onetsoc_code)
    where alternate_titles.short_title is not null
),

normalised as (
    select
        *,
        -- The API normalises the query the same way: lower case, every run of other characters one space.
        trim(regexp_replace(lower(term), '[^a-z0-9]+', ' ', 'g')) as term_norm
    from terms
),

deduplicated as (
    select distinct on (data_version, soc_code, term_norm)
        data_version, soc_code, term, term_kind, term_norm
    from normalised
    where term_norm <> ''
    order by data_version, soc_code, term_norm, kind_order, term
)

select
    data_version,
    soc_code,
    term,
    term_kind,
    term_norm,
    to_tsvector('english', term_norm) as term_tsv,
    -- Distinct lexemes: a term whose every lexeme is in the query matches it exactly (up to stemming).
    length(to_tsvector('english', term_norm)) as n_lexemes
from deduplicated
