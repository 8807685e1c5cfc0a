"""Imported once per run by the multiprocess executor's forkserver (occurisk_assets/definitions.py): building
the definitions here imports every domain (dbt, scikit-learn, the LLM SDKs: about 10 s), so each step process
forked from the server starts with that done instead of repeating it."""

from occurisk_assets.definitions import defs

defs()
