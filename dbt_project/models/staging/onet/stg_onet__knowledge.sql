{{ stg_element_ratings('knowledge', 'knowledge') }}
