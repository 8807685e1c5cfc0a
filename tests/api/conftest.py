"""The API's tests read the session's built platform (tests/built_platform.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from occurisk_assets.lib import roles
from tests.built_platform import DATA_VERSION, platform_database


@pytest.fixture(scope="session")
def client(built_database) -> Iterator[TestClient]:
    # As the API runs: through its read-only role, which may SELECT what it serves and nothing else.
    with TestClient(create_app(roles.role_url(built_database, roles.API))) as client:
        yield client


@pytest.fixture(scope="module")
def assistant_app(built_database):
    """The app as the career assistant needs it: its profiles written through the owner's URL."""
    with platform_database(built_database):
        yield create_app(built_database)


def make_profile(app, db_conn) -> str:
    """A real profile (a customer service representative of 25 years, with a saved cover letter)."""
    tasks = [
        r[0]
        for r in db_conn.execute(
            "SELECT task_id FROM marts.task_statements WHERE data_version = %s AND soc_code = %s "
            "ORDER BY task_id LIMIT 5",
            [DATA_VERSION, "43-4051"],
        ).fetchall()
    ]
    job = {
        "soc_code": "43-4051",
        "title": "Customer service rep",
        "employer": "Acme Telecom",
        "start_year": 2000,
        "end_year": 2024,
        "task_ids": tasks,
    }
    with TestClient(app) as client:
        created = client.post("/api/v1/profiles", json={"jobs": [job]})
        assert created.status_code == 201, created.text
        made = created.json()["id"]
        posting = {"posting": "Experience answering customer calls. Ability to resolve billing problems."}
        assert client.post(f"/api/v1/profiles/{made}/cover-letter", json=posting).status_code == 200
        # Loads the production occupation coder once (seconds), so no later call waits on it.
        assert client.post("/api/v1/resumes/parse", json={"text": "Customer service rep"}).status_code == 200
    return made
