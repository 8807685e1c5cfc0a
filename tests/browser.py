"""One real browser per test session: the app under uvicorn and Debian's Chromium driven by Playwright.

Imported by tests/conftest.py so every folder shares the one instance: Playwright's sync API refuses to
start a second one while the first is alive in the same thread.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from axe_playwright_python.sync_playwright import Axe

from api.main import create_app
from occurisk_assets.lib.settings import PROJECT_ROOT

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
# WCAG 2.2 AA and axe's best practices: what every page is checked against.
# Every violation in full; of the passes, incomplete and inapplicable results axe keeps one element per rule
# instead of building a selector and an HTML excerpt for each of thousands (3–7 times faster on /explore).
VIOLATIONS_ONLY = {"resultTypes": ["violations"]}
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    **VIOLATIONS_ONLY,
}
AXE = Axe()


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


def serious_violations(page, options: dict = AXE_OPTIONS) -> list:
    """axe-core's serious and critical findings on the page: (rule, impact, the first three elements)."""
    results = AXE.run(page, options=options)
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            # The focus is visible: the focused element draws an outline.
            assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"
            return
    raise AssertionError(f"Tab never reached {selector}")
