"""The API's response (and request body) models, one module per resource: import each model from the module
that defines it (api.schemas.occupations, .careers, .postings, …); common.py holds what every answer shares."""
