"""dbt through Dagster on real O*NET data: one database per test module (`module_database` in
tests/conftest.py; building the marts is the slow part, the tests of a module read what one build produced)."""

from __future__ import annotations

import pytest
from dagster import DagsterInstance


@pytest.fixture(scope="module")
def instance() -> DagsterInstance:
    return DagsterInstance.ephemeral()
