{{ stg_element_ratings('abilities', 'ability') }}
