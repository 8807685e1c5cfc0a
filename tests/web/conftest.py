"""The web pages' tests read the session's built platform (tests/built_platform.py): through FastAPI's
TestClient for what a page says, and through a real uvicorn server and Debian's Chromium for what a
browser does with it."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient

from api.main import create_app
from occurisk_assets.settings import PROJECT_ROOT

CHROMIUM = "/usr/bin/chromium"
# Playwright's own browser download cannot work here: Debian's chromium, quiet and sandbox-free (root).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(os.environ.get("OCCURISK_TEST_ARTIFACTS", PROJECT_ROOT / "test-artifacts"))


@pytest.fixture(scope="session")
def site_session(built_database) -> Iterator[TestClient]:
    with TestClient(create_app(built_database)) as client:
        yield client


@pytest.fixture
def site(site_session) -> TestClient:
    """The app, as a browser that has not been here before (no language or contrast cookie)."""
    site_session.cookies.clear()
    return site_session


@pytest.fixture(scope="session")
def live_server(built_database) -> Iterator[str]:
    """The app under uvicorn on a free port, in a thread of the test process."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(built_database), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} missing: `make test` installs the Debian package chromium"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
