"""The assistant's tests: the API over the session's built platform (tests/built_platform.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from tests.built_platform import DATA_VERSION, platform_database

SOC = "43-4051"  # Customer Service Representatives


@pytest.fixture(scope="session")
def assistant_client(built_database) -> Iterator[TestClient]:
    with platform_database(built_database), TestClient(create_app(built_database)) as client:
        yield client


@pytest.fixture(scope="session")
def csr_tasks(db_conn) -> list[int]:
    """Five real tasks of 43-4051 (30.1), in task order."""
    rows = db_conn.execute(
        "SELECT task_id FROM marts.task_statements WHERE data_version = %s AND soc_code = %s "
        "ORDER BY task_id LIMIT 5",
        [DATA_VERSION, SOC],
    ).fetchall()
    return [r[0] for r in rows]


@pytest.fixture
def history(csr_tasks) -> dict:
    return {
        "jobs": [
            {
                "soc_code": SOC,
                "title": "Customer service representative",
                "employer": "Acme Telecom",
                "start_year": 1999,
                "end_year": 2024,
                "task_ids": list(csr_tasks),
                "duties": ["Trained 12 new staff members on the billing system"],
            },
            {
                "soc_code": "41-2011",
                "title": "Cashier",
                "employer": "Corner Market",
                "start_year": 1994,
                "end_year": 1998,
                "task_ids": [],
                "duties": ["Handled the till and the daily count"],
            },
        ]
    }
