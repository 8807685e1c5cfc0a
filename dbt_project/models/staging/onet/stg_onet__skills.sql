{{ stg_element_ratings('skills', 'skill') }}
