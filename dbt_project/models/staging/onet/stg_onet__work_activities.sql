{{ stg_element_ratings('work_activities', 'work_activity') }}
