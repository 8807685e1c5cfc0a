"""The web pages' tests read the session's built platform (tests/built_platform.py) through FastAPI's
TestClient for what a page says; the real browser they share is in tests/browser.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import create_app


@pytest.fixture(scope="session")
def site_session(built_database) -> Iterator[TestClient]:
    with TestClient(create_app(built_database)) as client:
        yield client


@pytest.fixture
def site(site_session) -> TestClient:
    """The app, as a browser that has not been here before (no language or contrast cookie)."""
    site_session.cookies.clear()
    return site_session
