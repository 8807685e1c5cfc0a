"""Postings fixtures: the crawler's options for the local test board (tests/postings/board.py), and the
board's customer service ad once its postings are coded."""

from __future__ import annotations

import pytest

from occurisk_assets.postings.fetching import FetchOptions

CSR = "43-4051"

USER_AGENT = "occurisk-test/1.0 (+https://example.org/occurisk-tests)"


@pytest.fixture
def fetch_options() -> FetchOptions:
    # The board's robots.txt asks for Crawl-delay 0.2 s, more than delay_s: the crawler must take the larger.
    return FetchOptions(
        user_agent=USER_AGENT, delay_s=0.05, timeout_s=0.5, attempts=3, backoff_s=0.05, max_bytes=200_000
    )


@pytest.fixture(scope="module")
def csr_posting(coded):
    """The board's customer service ad: its id and the O*NET tasks of 43-4051 its duties matched. `coded`
    (tests/postings/test_coding_and_api.py) is the module's own: the modules using this import it."""
    conn, *_ = coded
    (posting_id,) = conn.execute(
        "SELECT posting_id FROM postings.posting WHERE title = 'Customer Service Representative (Remote)' "
        "AND status = 'accepted'"
    ).fetchone()
    tasks = conn.execute(
        "SELECT DISTINCT task_id, task_statement FROM postings.posting_duty "
        "WHERE posting_id = %s AND onetsoc_code = %s ORDER BY task_id",
        (posting_id, f"{CSR}.00"),
    ).fetchall()
    assert len(tasks) >= 2
    return posting_id, tasks
