"""Postings fixtures: the crawler's options for the local test board (tests/postings/board.py)."""

from __future__ import annotations

import pytest

from occurisk_assets.defs.postings.fetching import FetchOptions

USER_AGENT = "occurisk-test/1.0 (+https://example.org/occurisk-tests)"


@pytest.fixture
def fetch_options() -> FetchOptions:
    # The board's robots.txt asks for Crawl-delay 0.2 s, more than delay_s: the crawler must take the larger.
    return FetchOptions(
        user_agent=USER_AGENT, delay_s=0.05, timeout_s=0.5, attempts=3, backoff_s=0.05, max_bytes=200_000
    )
