"""Imported once per run by the multiprocess executor's forkserver (occurisk_assets/definitions.py), so that
each step process forked from the server starts with the slow imports done: building the definitions imports
every domain (dbt, scikit-learn, the LLM SDKs: about 10 s), and each step opens the instance's PostgreSQL
storage (dagster.yaml), whose package took another 1.5 s a step to import."""

import dagster_postgres  # noqa: F401  (imported for the step processes, see above)

from occurisk_assets.definitions import defs

defs()
