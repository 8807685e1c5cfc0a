"""A local job board for the crawler's tests, the bench and a by-hand try: robots.txt, a listing page,
a sitemap, schema.org JobPosting pages (with ETag / Last-Modified, answering 304 to a matching conditional
request) and bad pages of every kind. Every request is recorded with its time and headers.

By hand: `python -m tests.postings.board --port 8765`, then `occurisk postings crawl http://127.0.0.1:8765/jobs`.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import html
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

POSTINGS = json.loads((Path(__file__).parent / "fixtures" / "board_postings.json").read_text())
LAST_MODIFIED = "Mon, 30 Nov 2026 08:00:00 GMT"
ROBOTS = """User-agent: *
Disallow: /private/
Crawl-delay: {crawl_delay}
"""
# Bad pages the listing links to, and the reason the crawler must give for each.
BAD_PAGES = {
    "/jobs/gone": "HTTP 404",
    "/jobs/server-error": "HTTP 500 after 3 attempts",
    "/jobs/loop-a": "redirect loop: http://{host}/jobs/loop-a → http://{host}/jobs/loop-b → http://{host}/jobs/loop-a",
    "/jobs/huge": "page too large ({huge_bytes:,} bytes > {max_bytes:,})",
    "/jobs/huge-chunked": "page too large (more than {max_bytes:,} bytes)",  # no Content-Length to go by
    "/jobs/broken-json-ld": "broken JSON-LD: JSON-LD block 1: Expecting ',' delimiter (line 1, column 24)",
    # JSON that Python reads but PostgreSQL's jsonb cannot store: it must cost this page only.
    "/jobs/nan-json-ld": "broken JSON-LD: JSON-LD block 1: NaN is not a number JSON allows",
    "/jobs/nul-json-ld": "broken JSON-LD: JSON-LD block 1: contains a NUL character (\\u0000), which cannot be stored",
    "/jobs/logo.png": "not HTML (content-type image/png)",
    "/jobs/slow": "timed out after 0.5 s after 3 attempts",
    "/private/internal-posting": "disallowed by robots.txt",
}


def job_posting(p: dict, base: str) -> dict:
    low, high, unit = p["salary"]
    description = (
        f"<p>{html.escape(p['intro'])}</p><h3>What you will do</h3><ul>"
        + "".join(f"<li>{html.escape(d)}</li>" for d in p["duties"])
        + f"</ul><h3>What you need</h3><p>{html.escape(p['requirements'])}</p>"
    )
    return {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": p["title"],
        "description": description,
        "identifier": {"@type": "PropertyValue", "name": p["org"], "value": p["slug"]},
        "datePosted": p["posted"],
        "validThrough": p["valid"],
        "employmentType": p["type"],
        "hiringOrganization": {"@type": "Organization", "name": p["org"]},
        "jobLocation": {
            "@type": "Place",
            "address": {"@type": "PostalAddress", "addressLocality": p["city"], "addressRegion": p["region"]},
        },
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "USD",
            "value": {"@type": "QuantitativeValue", "minValue": low, "maxValue": high, "unitText": unit},
        },
        "url": f"{base}/jobs/{p['slug']}",
    }


def page(title: str, body: str, json_ld: str | None = None) -> bytes:
    script = f'<script type="application/ld+json">{json_ld}</script>' if json_ld else ""
    return (
        f"<!doctype html><html lang='en'><head><title>{html.escape(title)}</title>{script}</head>"
        f"<body>{body}</body></html>"
    ).encode()


KOREAN = {
    "@context": "https://schema.org/",
    "@type": "JobPosting",
    "title": "물류센터 재고관리 사원",
    "description": "<p>물류센터에서 입고와 출고 물품을 확인하고 재고 현황을 전산에 기록합니다. "
    "주간 근무, 4대 보험 가입, 경력자 우대.</p>",
    "identifier": {"@type": "PropertyValue", "name": "Hanbit Logistics", "value": "ko-inventory"},
    "hiringOrganization": {"@type": "Organization", "name": "Hanbit Logistics"},
    "datePosted": "2026-11-25",
}


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # a client that hung up (timeouts, size caps) is what the tests provoke


@dataclass
class Request:
    path: str
    time: float
    headers: dict[str, str]
    status: int


@dataclass
class Board:
    """Serves the board on 127.0.0.1 in a thread; `requests` records what the crawler asked for."""

    crawl_delay: float = 0.2
    timeout_s: float = 0.5  # /jobs/slow answers later than this
    max_bytes: int = 200_000  # /jobs/huge is larger than this
    port: int = 0
    requests: list[Request] = field(default_factory=list)
    flaky_failures: int = 1  # /jobs/flaky answers 503 this many times, then the page
    block_after: int | None = None  # posting pages beyond this many hang until `release` is set

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.release = threading.Event()
        self._flaky_seen = 0
        self._posting_pages_served = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.server.server_address[1]}"

    def expected_reasons(self) -> dict[str, str]:
        values = {"host": self.host, "huge_bytes": len(self.huge_page()), "max_bytes": self.max_bytes}
        return {f"{self.base}{path}": reason.format(**values) for path, reason in BAD_PAGES.items()}

    def huge_page(self) -> bytes:
        return page("Huge", "<p>" + "x" * (self.max_bytes + 10) + "</p>")

    def __enter__(self) -> Board:
        board = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                board.handle(self)

        self.server = _QuietServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    # ---------------------------------------------------------------------------------------------------
    def handle(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path.split("?")[0]
        record = Request(path, time.monotonic(), dict(h.headers.items()), 0)
        with self.lock:
            self.requests.append(record)  # on arrival: a slow answer must not reorder the log
        status, headers, body = self.route(path, h)
        record.status = status
        h.send_response(status)
        for k, v in headers.items():
            h.send_header(k, v)
        chunked = headers.get("Transfer-Encoding") == "chunked"
        if not chunked:
            h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            if chunked:
                for i in range(0, len(body), 16_384):
                    piece = body[i : i + 16_384]
                    h.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                h.wfile.write(b"0\r\n\r\n")
            else:
                h.wfile.write(body)

    def route(self, path: str, h: BaseHTTPRequestHandler) -> tuple[int, dict, bytes]:
        html_type = {"Content-Type": "text/html; charset=utf-8"}
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, ROBOTS.format(crawl_delay=self.crawl_delay).encode()
        if path == "/jobs":
            links = [f"/jobs/{p['slug']}" for p in POSTINGS] + [
                "/jobs/reposted-nurse",
                "/jobs/near-duplicate-driver",
                "/jobs/no-title",
                "/jobs/flaky",
                "/jobs/korean",
                *BAD_PAGES,
                "/jobs/nul\x00link",  # no real URL holds a NUL (nor can PostgreSQL): not followed
                "http://other.invalid/jobs/1",
                "/jobs#top",
            ]
            body = (
                "<h1>Open positions</h1><ul>"
                + "".join(f'<li><a href="{u}">{u}</a></li>' for u in links)
                + "</ul>"
            )
            return 200, html_type, page("Open positions", body)
        if path == "/sitemap.xml":
            urls = "".join(f"<url><loc>{self.base}/jobs/{p['slug']}</loc></url>" for p in POSTINGS[:3])
            body = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
            return 200, {"Content-Type": "application/xml"}, body.encode()
        slug = path.removeprefix("/jobs/")
        by_slug = {p["slug"]: p for p in POSTINGS}
        if slug in by_slug:
            return self.posting_page(job_posting(by_slug[slug], self.base), h)
        if slug == "reposted-nurse":  # the nurse ad again under another URL and identifier: exact duplicate
            posting = job_posting(by_slug["registered-nurse-med-surg"], self.base)
            posting["identifier"]["value"] = "reposted-nurse"
            posting["url"] = f"{self.base}/jobs/reposted-nurse"
            return self.posting_page(posting, h)
        if slug == "near-duplicate-driver":  # the driver ad with the dates and one sentence changed
            p = dict(by_slug["cdl-a-truck-driver"], slug="near-duplicate-driver", posted="2026-11-26")
            p["intro"] = (
                "Regional tractor-trailer routes, home every weekend, late-model equipment. Apply today."
            )
            return self.posting_page(job_posting(p, self.base), h)
        if slug == "no-title":
            posting = job_posting(by_slug["staff-accountant"], self.base)
            del posting["title"]
            posting["identifier"]["value"] = "no-title"
            posting["url"] = f"{self.base}/jobs/no-title"
            return self.posting_page(posting, h)
        if slug == "korean":
            return self.posting_page(KOREAN, h)
        if slug == "flaky":
            with self.lock:
                self._flaky_seen += 1
                failing = self._flaky_seen <= self.flaky_failures
            if failing:
                return 503, {"Content-Type": "text/plain", "Retry-After": "0"}, b"busy"
            posting = job_posting(dict(by_slug["journeyman-electrician"], slug="flaky"), self.base)
            posting["title"] = "Electrician Apprentice"
            posting["description"] = (
                "<p>Learn the trade alongside licensed electricians.</p><ul><li>Pull wire through conduit "
                "and install outlets and switches under supervision</li></ul>"
            )
            return self.posting_page(posting, h)
        if slug == "gone":
            return 404, html_type, page("Not found", "<p>This job has been filled.</p>")
        if slug == "server-error":
            return 500, html_type, page("Error", "<p>Internal error</p>")
        if slug == "loop-a":
            return 302, {"Location": "/jobs/loop-b"}, b""
        if slug == "loop-b":
            return 302, {"Location": "/jobs/loop-a"}, b""
        if slug == "huge":
            return 200, html_type, self.huge_page()
        if slug == "huge-chunked":
            return 200, {**html_type, "Transfer-Encoding": "chunked"}, self.huge_page()
        if slug == "broken-json-ld":
            return 200, html_type, page("Broken", "<p>Job</p>", '{"@type": "JobPosting" "title": "Welder"}')
        if slug == "nan-json-ld":
            return (
                200,
                html_type,
                page("NaN", "<p>Job</p>", '{"@type": "JobPosting", "title": "Welder", "baseSalary": NaN}'),
            )
        if slug == "nul-json-ld":
            return (
                200,
                html_type,
                page("NUL", "<p>Job</p>", '{"@type": "JobPosting", "title": "Weld\\u0000er"}'),
            )
        if slug == "logo.png":
            return 200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n" + b"\0" * 64
        if slug == "slow":
            time.sleep(self.timeout_s * 2)
            return 200, html_type, page("Slow", "<p>slow</p>")
        if path.startswith("/private/"):
            return 200, html_type, page("Private", "<p>should never be fetched</p>")
        return 404, html_type, page("Not found", "<p>No such page.</p>")

    def posting_page(self, posting: dict, h: BaseHTTPRequestHandler) -> tuple[int, dict, bytes]:
        body = page(
            posting.get("title", "Job"),
            f'<h1>{html.escape(posting.get("title", ""))}</h1><p><a href="/jobs">All jobs</a></p>',
            json.dumps(posting),
        )
        etag = '"' + hashlib.md5(body).hexdigest()[:16] + '"'
        headers = {"Content-Type": "text/html; charset=utf-8", "ETag": etag, "Last-Modified": LAST_MODIFIED}
        if h.headers.get("If-None-Match") == etag or h.headers.get("If-Modified-Since") == LAST_MODIFIED:
            return 304, {"ETag": etag, "Last-Modified": LAST_MODIFIED}, b""
        with self.lock:
            self._posting_pages_served += 1
            block = self.block_after is not None and self._posting_pages_served > self.block_after
        if block:
            self.release.wait()
        return 200, headers, body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    with Board(port=args.port) as board:
        print(f"job board at {board.base}/jobs (robots.txt, sitemap.xml); Ctrl-C stops it", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
