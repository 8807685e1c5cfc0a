{#-
  Pre-hook of every mart. delete+insert on unique_key only deletes the versions present in the new rows,
  so a version that now yields no rows (e.g. Task Ratings gone from a reloaded release) would keep its old
  rows. Deleting the version first, in the model's transaction, makes a rebuild exact.
-#}
{% macro delete_current_data_version() -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where data_version = {{ current_data_version() }}
    {%- endif -%}
{%- endmacro %}
