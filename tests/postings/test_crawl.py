"""The crawler against the local test board: what it stores, what it refuses, how fast it goes, what it
sends on a re-crawl, and how it resumes after being killed."""

from __future__ import annotations

import gzip
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from occurisk_assets.lib import db
from occurisk_assets.postings.cleaning import clean_postings
from occurisk_assets.postings.crawler import CrawlRefused, crawl
from tests.postings.board import BAD_PAGES, POSTINGS, Board
from tests.postings.conftest import USER_AGENT

N_POSTING_PAGES = len(POSTINGS) + 5  # + reposted nurse, near-duplicate driver, no title, flaky, Korean


@pytest.fixture(scope="module")
def crawled(module_database):
    """One crawl of a board, then a second crawl of the same board (a re-crawl)."""
    from occurisk_assets.postings.fetching import FetchOptions

    options = FetchOptions(
        user_agent=USER_AGENT, delay_s=0.05, timeout_s=0.5, attempts=3, backoff_s=0.05, max_bytes=200_000
    )
    with Board() as board, db.connect(autocommit=True) as conn:
        first = crawl(conn, f"{board.base}/jobs", options, max_pages=100)
        n_first = len(board.requests)
        second = crawl(conn, f"{board.base}/jobs", options, max_pages=100)
        yield board, first, second, n_first, conn


def test_first_crawl_keeps_every_posting_page_and_gives_each_bad_page_its_reason(crawled):
    board, first, _, _, conn = crawled
    assert first.status == "finished" and not first.resumed
    # 25 URLs: the listing, its 24 same-host links (the off-host link, the #fragment and the link holding
    # a NUL dropped); every bad page costs only itself.
    assert dict(first.outcomes) == {"posting": N_POSTING_PAGES, "listing": 1, "error": 10, "skipped": 1}
    assert first.postings == {"inserted": N_POSTING_PAGES}
    reasons = dict(
        conn.execute(
            "SELECT url, reason FROM postings.crawl_url WHERE crawl_id = %s AND outcome IN ('error', 'skipped')",
            (first.crawl_id,),
        ).fetchall()
    )
    assert reasons == board.expected_reasons()
    assert sum(first.reasons.values()) == len(BAD_PAGES)


def test_robots_rules_user_agent_and_pacing_are_obeyed(crawled):
    board, first, _, n_first, _ = crawled
    requests = board.requests[:n_first]
    paths = [r.path for r in requests]
    assert paths.count("/robots.txt") == 1 and paths[0] == "/robots.txt"
    assert not [p for p in paths if p.startswith("/private/")]
    assert {r.headers["User-Agent"] for r in requests} == {USER_AGENT}
    # Crawl-delay: 0.2 s from the end of a request to the start of the next (retries, redirects included).
    gaps = [b.time - a.time for a, b in zip(requests, requests[1:], strict=False)]
    assert min(gaps) >= 0.2 - 0.01, sorted(gaps)[:3]
    # Each URL once, except the retried ones (503 once, 500 and timeout three times) and the redirect hop.
    assert paths.count("/jobs/flaky") == 2
    assert paths.count("/jobs/server-error") == 3 and paths.count("/jobs/slow") == 3
    assert first.requests == n_first


def test_each_fetched_page_is_stored_compressed_with_its_fetch_metadata(crawled):
    board, _, _, _, conn = crawled
    rows = conn.execute(
        "SELECT url, http_status, content_type, etag, last_modified, n_bytes, sha256, content_gz FROM postings.page"
    ).fetchall()
    stored = {r[0]: r for r in rows}
    # every 200 response: the listing, the posting pages, and the 4 pages refused for their JSON-LD or type
    assert len(stored) == 1 + N_POSTING_PAGES + 4
    url, status, ctype, etag, last_modified, n_bytes, sha, gz = stored[f"{board.base}/jobs/dental-hygienist"]
    body = gzip.decompress(gz)
    assert (status, ctype, len(body), hashlib.sha256(body).hexdigest()) == (200, "text/html", n_bytes, sha)
    assert etag.startswith('"') and last_modified == "Mon, 30 Nov 2026 08:00:00 GMT"
    assert len(gz) < n_bytes


def test_recrawl_sends_conditional_headers_and_duplicates_nothing(crawled):
    board, first, second, n_first, conn = crawled
    assert second.crawl_id != first.crawl_id and second.status == "finished"
    again = [r for r in board.requests[n_first:] if r.path.startswith("/jobs/") and r.status in (200, 304)]
    posting_requests = [r for r in again if r.status == 304]
    assert len(posting_requests) == N_POSTING_PAGES
    for r in posting_requests:
        assert r.headers["If-None-Match"].startswith('"')
        assert r.headers["If-Modified-Since"] == "Mon, 30 Nov 2026 08:00:00 GMT"
    assert second.outcomes["not_modified"] == N_POSTING_PAGES
    assert second.postings == {"seen_again": N_POSTING_PAGES}
    (n_postings,) = conn.execute("SELECT count(*) FROM postings.posting WHERE source = 'crawl'").fetchone()
    assert n_postings == N_POSTING_PAGES


def test_cleaning_the_crawl_rejects_dedupes_and_detects_language(crawled):
    board, _, _, _, conn = crawled
    counts = clean_postings(conn)
    assert counts == {
        "accepted": len(POSTINGS) + 2,  # + the flaky page's apprentice ad and the Korean ad
        "duplicate: exact duplicate": 1,
        "duplicate: near duplicate (MinHash Jaccard ≥ 0.8)": 1,
        "rejected: missing title": 1,
    }
    rows = dict(
        conn.execute(
            """SELECT p.url, d.url FROM postings.posting p JOIN postings.posting d ON d.posting_id = p.duplicate_of
               WHERE p.status = 'duplicate'"""
        ).fetchall()
    )
    base = board.base
    assert rows == {
        f"{base}/jobs/reposted-nurse": f"{base}/jobs/registered-nurse-med-surg",
        f"{base}/jobs/near-duplicate-driver": f"{base}/jobs/cdl-a-truck-driver",
    }
    languages = dict(conn.execute("SELECT identifier, language FROM postings.posting").fetchall())
    assert languages["Hanbit Logistics:ko-inventory"] == "ko"
    assert {v for k, v in languages.items() if "ko-inventory" not in k and "no-title" not in k} == {"en"}
    duties = conn.execute(
        "SELECT duties FROM postings.posting WHERE identifier = 'Dental Hygienist'"
        " OR identifier LIKE '%%:dental-hygienist'"
    ).fetchone()[0]
    assert duties == next(p["duties"] for p in POSTINGS if p["slug"] == "dental-hygienist")
    assert clean_postings(conn) == {}  # nothing new: cleaning again changes nothing


def test_sitemap_seed_and_forbidden_hosts(module_database, fetch_options):
    with Board() as board, db.connect(autocommit=True) as conn:
        report = crawl(conn, f"{board.base}/sitemap.xml", fetch_options, max_pages=2)
        assert report.status == "stopped_max_pages" and report.pages_fetched == 2
        assert report.outcomes == {"sitemap": 1, "posting": 1}
        with pytest.raises(CrawlRefused, match="terms of use forbid crawling"):
            crawl(
                conn, "https://uk.indeed.com/jobs", fetch_options, forbidden_hosts=frozenset({"indeed.com"})
            )


def test_a_killed_crawl_resumes_where_it_stopped(module_database):
    """The CLI crawl is killed (SIGKILL) while a posting page hangs; the next crawl of the seed resumes."""
    occurisk = Path(sys.executable).parent / "occurisk"
    with Board(block_after=3) as board, db.connect(autocommit=True) as conn:
        env = {**os.environ, "OCCURISK_POSTINGS_TIMEOUT_S": "30", "OCCURISK_POSTINGS_ATTEMPTS": "1"}
        proc = subprocess.Popen(
            [str(occurisk), "postings", "crawl", f"{board.base}/jobs", "--delay", "0"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while board._posting_pages_served <= 3:
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "the crawl never reached the 4th posting page"
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        board.release.set()
        (status,) = conn.execute(
            "SELECT status FROM postings.crawl_run WHERE seed_url = %s", (f"{board.base}/jobs",)
        ).fetchone()
        assert status == "running"
        done_before = {
            u
            for (u,) in conn.execute(
                "SELECT url FROM postings.crawl_url c JOIN postings.crawl_run r USING (crawl_id) "
                "WHERE r.seed_url = %s AND state = 'done'",
                (f"{board.base}/jobs",),
            )
        }
        assert len(done_before) == 4  # the listing and three posting pages
        n_before = len(board.requests)
        from occurisk_assets.postings.fetching import FetchOptions

        report = crawl(
            conn,
            f"{board.base}/jobs",
            FetchOptions(user_agent=USER_AGENT, delay_s=0, timeout_s=0.5, backoff_s=0.05, max_bytes=200_000),
        )
        assert report.resumed and report.status == "finished"
        assert report.outcomes["posting"] == N_POSTING_PAGES
        after = [r.path for r in board.requests[n_before:]]
        assert not {f"{board.base}{p}" for p in after} & done_before  # nothing done before is fetched again
        (n_postings,) = conn.execute(
            "SELECT count(*) FROM postings.posting WHERE origin LIKE %s", (f"{board.base}/%",)
        ).fetchone()
        assert n_postings == N_POSTING_PAGES
