{#- Every non-null value of the column exists in `to`.`field` for the same data_version. -#}
{% test relationships_in_version(model, column_name, to, field) %}
select child.data_version, child.{{ column_name }}
from {{ model }} as child
where child.{{ column_name }} is not null
  and not exists (
    select 1
    from {{ to }} as parent
    where parent.data_version = child.data_version
      and parent.{{ field }} = child.{{ column_name }}
  )
{% endtest %}
