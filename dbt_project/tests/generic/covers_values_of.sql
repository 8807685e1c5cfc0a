{#-
  The reverse of relationships_in_version: every value of `compare_model`.`compare_column` appears in
  this column for the same data_version, for the versions this model holds (e.g. every SOC that has
  tasks has weights).
-#}
{% test covers_values_of(model, column_name, compare_model, compare_column) %}
select expected.data_version, expected.{{ compare_column }}
from {{ compare_model }} as expected
where expected.{{ compare_column }} is not null
  and expected.data_version in (select distinct data_version from {{ model }})
  and not exists (
    select 1
    from {{ model }} as actual
    where actual.data_version = expected.data_version
      and actual.{{ column_name }} = expected.{{ compare_column }}
  )
{% endtest %}
