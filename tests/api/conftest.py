"""The API's tests read the session's built platform (tests/built_platform.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from occurisk_assets import roles


@pytest.fixture(scope="session")
def client(built_database) -> Iterator[TestClient]:
    # As the API runs: through its read-only role, which may SELECT what it serves and nothing else.
    with TestClient(create_app(roles.role_url(built_database, roles.API))) as client:
        yield client
