"""The API's tests read the session's built platform (tests/built_platform.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import create_app


@pytest.fixture(scope="session")
def client(built_database) -> Iterator[TestClient]:
    with TestClient(create_app(built_database)) as client:
        yield client
