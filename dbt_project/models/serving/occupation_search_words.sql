{{
    config(
        pre_hook="create extension if not exists pg_trgm with schema public",
        indexes=[
            {'columns': ['data_version', 'word'], 'unique': true},
            {'columns': ['word public.gin_trgm_ops'], 'type': 'gin'},
        ],
    )
}}

-- The vocabulary of occupation_search_terms: the API corrects a misspelt query word to its nearest words
-- here (trigram similarity on ~11k words), then matches terms by full-text search.
select
    data_version,
    word,
    count(*) as n_terms
from {{ ref('occupation_search_terms') }},
    unnest(string_to_array(term_norm, ' ')) as word
where data_version = {{ current_data_version() }}
group by data_version, word
