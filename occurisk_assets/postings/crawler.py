"""`occurisk postings crawl URL`: a polite crawler that starts from a listing page or a sitemap, follows
links on the same host and keeps the pages carrying schema.org JobPosting JSON-LD.

Every URL gets one outcome with a reason (postings.crawl_url): a bad page (4xx/5xx, timeout, redirect
loop, huge, broken JSON-LD, not HTML) is counted and the crawl goes on. Each URL's work is one transaction
(page, postings, its new links, its outcome), so a crawl killed midway resumes where it stopped: the next
`crawl` of the same seed continues the unfinished run. Re-crawling sends If-None-Match / If-Modified-Since
from the stored page; a 304 re-reads the stored copy."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import psycopg
from psycopg.types.json import Jsonb

from occurisk_assets.postings.fetching import FetchError, FetchOptions, PoliteFetcher, Response
from occurisk_assets.postings.pages import parse_html, parse_sitemap
from occurisk_assets.postings.records import PostingRecord, from_job_posting, natural_key
from occurisk_assets.postings.store import store_postings

HTML_TYPES = {"text/html", "application/xhtml+xml"}
XML_TYPES = {"application/xml", "text/xml"}


class CrawlRefused(Exception):
    """The seed is on a host whose terms forbid crawling (configuration: forbidden_hosts)."""


@dataclass
class CrawlReport:
    crawl_id: int
    seed_url: str
    status: str
    resumed: bool
    pages_fetched: int = 0  # URLs requested in this invocation (robots-skipped ones excluded)
    requests: int = 0  # HTTP requests made, robots.txt, retries and redirects included
    postings: Counter = field(default_factory=Counter)  # inserted / seen_again
    outcomes: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)


@dataclass
class _Processed:
    outcome: str
    reason: str | None = None
    http_status: int | None = None
    links: list[str] = field(default_factory=list)
    records: list[PostingRecord] = field(default_factory=list)


def _start_or_resume(
    conn: psycopg.Connection, seed: str, options: FetchOptions, max_pages: int
) -> tuple[int, bool]:
    with conn.transaction():
        row = conn.execute(
            "SELECT crawl_id FROM postings.crawl_run WHERE seed_url = %s AND status = 'running' FOR UPDATE",
            (seed,),
        ).fetchone()
        if row:
            return row[0], True
        (crawl_id,) = conn.execute(
            """INSERT INTO postings.crawl_run (seed_url, user_agent, delay_s, max_pages, status)
               VALUES (%s, %s, %s, %s, 'running') RETURNING crawl_id""",
            (seed, options.user_agent, options.delay_s, max_pages),
        ).fetchone()
        conn.execute(
            "INSERT INTO postings.crawl_url (crawl_id, url, depth) VALUES (%s, %s, 0)", (crawl_id, seed)
        )
    return crawl_id, False


def _stored_page(conn: psycopg.Connection, url: str) -> tuple | None:
    return conn.execute(
        "SELECT etag, last_modified, content_type, content_gz, headers FROM postings.page WHERE url = %s",
        (url,),
    ).fetchone()


def _conditional_headers(stored: tuple | None) -> dict[str, str]:
    if stored is None:
        return {}
    etag, last_modified = stored[0], stored[1]
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _save_page(conn: psycopg.Connection, resp: Response) -> None:
    conn.execute(
        """INSERT INTO postings.page (url, host, http_status, content_type, etag, last_modified, n_bytes,
               sha256, content_gz, headers, elapsed_ms)
           VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
           ON CONFLICT (url) DO UPDATE SET last_fetched_at = now(), last_checked_at = now(),
               http_status = EXCLUDED.http_status, content_type = EXCLUDED.content_type, etag = EXCLUDED.etag,
               last_modified = EXCLUDED.last_modified, n_bytes = EXCLUDED.n_bytes, sha256 = EXCLUDED.sha256,
               content_gz = EXCLUDED.content_gz, headers = EXCLUDED.headers, elapsed_ms = EXCLUDED.elapsed_ms""",
        (
            resp.url,
            urlsplit(resp.url).netloc.lower(),
            resp.status,
            resp.content_type,
            resp.headers.get("etag"),
            resp.headers.get("last-modified"),
            len(resp.body),
            hashlib.sha256(resp.body).hexdigest(),
            gzip.compress(resp.body),
            Jsonb(resp.headers),
            resp.elapsed_ms,
        ),
    )


def read_page(url: str, content_type: str, body: bytes, charset: str = "utf-8") -> _Processed:
    """What a page holds: postings, links to follow, or why it is of no use."""
    is_xml = content_type in XML_TYPES or (content_type == "" and url.endswith(".xml"))
    if is_xml:
        locs = parse_sitemap(body, url)
        if locs is None:
            return _Processed("error", f"not HTML and not a sitemap (content-type {content_type or 'none'})")
        return _Processed("sitemap", links=locs)
    if content_type not in HTML_TYPES:
        return _Processed("error", f"not HTML (content-type {content_type or 'none'})")
    page = parse_html(body.decode(charset, errors="replace"), url)
    records = []
    for n, obj in enumerate(page.postings):
        key = natural_key(obj) or (url if len(page.postings) == 1 else f"{url}#{n + 1}")
        records.append(from_job_posting(obj, "crawl", key, origin=url))
    if records:
        return _Processed("posting", links=page.links, records=records)
    if page.json_ld_errors:
        return _Processed("error", "broken JSON-LD: " + "; ".join(page.json_ld_errors), links=page.links)
    return _Processed("listing", links=page.links)


def _process(conn: psycopg.Connection, fetcher: PoliteFetcher, url: str) -> _Processed:
    stored = _stored_page(conn, url)
    try:
        resp = fetcher.fetch(url, _conditional_headers(stored))
    except FetchError as exc:
        return _Processed("skipped" if exc.skipped else "error", exc.reason, exc.http_status)
    if resp.status == 304 and stored is not None:
        conn.execute("UPDATE postings.page SET last_checked_at = now() WHERE url = %s", (url,))
        _, _, content_type, content_gz, headers = stored
        charset = Response(url, 200, headers, b"", 0).charset
        result = read_page(url, content_type or "", gzip.decompress(content_gz), charset)
        if result.outcome != "error":
            result.outcome, result.reason = (
                "not_modified",
                f"unchanged since the last crawl ({result.outcome})",
            )
        result.http_status = 304
        return result
    if resp.status != 200:
        return _Processed("error", f"HTTP {resp.status}", resp.status)
    _save_page(conn, resp)
    result = read_page(resp.url, resp.content_type, resp.body, resp.charset)
    result.http_status = resp.status
    return result


def is_forbidden(host: str, forbidden_hosts: frozenset[str]) -> bool:
    host = host.lower().split(":")[0]
    return any(host == h or host.endswith("." + h) for h in forbidden_hosts)


def crawl(
    conn: psycopg.Connection,
    seed: str,
    options: FetchOptions,
    max_pages: int = 200,
    forbidden_hosts: frozenset[str] = frozenset(),
    collected_on: dt.date | None = None,
    fetcher: PoliteFetcher | None = None,
) -> CrawlReport:
    host = urlsplit(seed).netloc.lower()
    if urlsplit(seed).scheme not in ("http", "https") or not host:
        raise ValueError(f"not an http(s) URL: {seed!r}")
    if is_forbidden(host, forbidden_hosts):
        raise CrawlRefused(
            f"{host} is listed in forbidden_hosts (its terms of use forbid crawling): not crawled"
        )
    crawl_id, resumed = _start_or_resume(conn, seed, options, max_pages)
    report = CrawlReport(crawl_id, seed, "running", resumed)
    own_fetcher = fetcher is None
    fetcher = fetcher or PoliteFetcher(options)
    try:
        status = _run(conn, fetcher, crawl_id, max_pages, collected_on, report)
    finally:
        report.requests = fetcher.n_requests
        if own_fetcher:
            fetcher.close()
    with conn.transaction():
        conn.execute(
            "UPDATE postings.crawl_run SET status = %s, finished_at = now() WHERE crawl_id = %s",
            (status, crawl_id),
        )
    report.status = status
    done = conn.execute(
        """SELECT outcome, coalesce(reason, ''), count(*) FROM postings.crawl_url
           WHERE crawl_id = %s AND state = 'done' GROUP BY 1, 2""",
        (crawl_id,),
    ).fetchall()
    for outcome, reason, n in done:
        report.outcomes[outcome] += n
        if outcome in ("error", "skipped"):
            report.reasons[reason] += n
    return report


def _run(
    conn: psycopg.Connection,
    fetcher: PoliteFetcher,
    crawl_id: int,
    max_pages: int,
    collected_on: dt.date | None,
    report: CrawlReport,
) -> str:
    (fetched_before,) = conn.execute(
        """SELECT count(*) FROM postings.crawl_url
           WHERE crawl_id = %s AND state = 'done' AND outcome <> 'skipped'""",
        (crawl_id,),
    ).fetchone()
    fetched = fetched_before
    while True:
        row = conn.execute(
            """SELECT url, depth FROM postings.crawl_url WHERE crawl_id = %s AND state = 'pending'
               ORDER BY seq LIMIT 1""",
            (crawl_id,),
        ).fetchone()
        conn.commit()
        if row is None:
            return "finished"
        if fetched >= max_pages:
            return "stopped_max_pages"
        url, depth = row
        before = fetcher.n_requests
        with conn.transaction():
            result = _process(conn, fetcher, url)
            counts = store_postings(conn, result.records, collected_on)
            report.postings.update(counts)
            for link in result.links:
                conn.execute(
                    """INSERT INTO postings.crawl_url (crawl_id, url, depth) VALUES (%s, %s, %s)
                       ON CONFLICT DO NOTHING""",
                    (crawl_id, link, depth + 1),
                )
            conn.execute(
                """UPDATE postings.crawl_url SET state = 'done', outcome = %s, reason = %s, http_status = %s,
                       n_requests = %s, n_postings = %s, fetched_at = now()
                   WHERE crawl_id = %s AND url = %s""",
                (
                    result.outcome,
                    result.reason,
                    result.http_status,
                    fetcher.n_requests - before,
                    len(result.records),
                    crawl_id,
                    url,
                ),
            )
        if result.outcome != "skipped":
            fetched += 1
            report.pages_fetched += 1
