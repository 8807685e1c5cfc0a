{{ stg_element_ratings('work_context', 'work_context', has_category=true) }}
