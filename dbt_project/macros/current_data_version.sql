{#- The data_version being built (the dbt var = the Dagster partition key) as a quoted SQL literal. -#}
{% macro current_data_version() -%}
    {%- set version = var('data_version', none) -%}
    {%- if version is none -%}
        {%- if execute -%}
            {{ exceptions.raise_compiler_error(
                "the dbt var `data_version` is required to build marts, e.g. --vars '{\"data_version\": \"30.1\"}'"
            ) }}
        {%- endif -%}
        {{ return("null") }}
    {%- endif -%}
    {%- if not modules.re.fullmatch('[0-9A-Za-z._-]+(~new)?', version | string) -%}
        {{ exceptions.raise_compiler_error("invalid data_version var: " ~ version) }}
    {%- endif -%}
    {{ return("'" ~ version ~ "'") }}
{%- endmacro %}
