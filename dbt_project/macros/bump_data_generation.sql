{#-
  Post-hook of every mart, in the model's transaction: the data generation (occurisk_assets/data_generation.py)
  changes exactly when the rebuilt rows become visible, so the API's response cache cannot serve the old ones.
  The statement trigger it adds once covers writes from outside dbt (retention, restore).
  Skipped where the platform's core tables do not exist (a bare dbt test database).
-#}
{% macro bump_data_generation() -%}
do $$
begin
    if to_regprocedure('core.bump_data_generation_for(text)') is not null then
        if not exists (select 1 from pg_trigger
                       where tgrelid = '{{ this }}'::regclass and tgname = 'bump_data_generation') then
            create trigger bump_data_generation
                after insert or update or delete or truncate on {{ this }}
                for each statement execute function core.bump_data_generation();
        end if;
        perform core.bump_data_generation_for('{{ this.schema }}.{{ this.identifier }}');
    end if;
end $$
{%- endmacro %}
