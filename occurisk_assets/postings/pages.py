"""Reading a fetched page: its same-host links, its schema.org JobPosting JSON-LD, or a sitemap's URLs."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from occurisk_assets.postings.records import is_job_posting, load_json


@dataclass
class ParsedPage:
    links: list[str] = field(default_factory=list)
    postings: list[dict] = field(default_factory=list)
    json_ld_errors: list[str] = field(default_factory=list)


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.scripts: list[str] = []
        self.base: str | None = None
        self._in_json_ld = False
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href") and "nofollow" not in (a.get("rel") or ""):
            self.hrefs.append(a["href"])
        elif tag == "base" and a.get("href") and self.base is None:
            self.base = a["href"]
        elif tag == "script" and (a.get("type") or "").split(";")[0].strip().lower() == "application/ld+json":
            self._in_json_ld, self._buffer = True, []

    def handle_data(self, data: str) -> None:
        if self._in_json_ld:
            self._buffer.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_json_ld:
            self.scripts.append("".join(self._buffer))
            self._in_json_ld = False


def same_host(url: str, host: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host.lower()


def _job_postings(data) -> list[dict]:
    """JobPosting objects anywhere in a JSON-LD document: top level, a list, or an @graph."""
    if isinstance(data, list):
        return [p for item in data for p in _job_postings(item)]
    if not isinstance(data, dict):
        return []
    if is_job_posting(data):
        return [data]
    return _job_postings(data.get("@graph", []))


def parse_html(html: str, url: str) -> ParsedPage:
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    base = urljoin(url, parser.base) if parser.base else url
    host = urlsplit(url).netloc
    page = ParsedPage()
    seen: set[str] = set()
    for href in parser.hrefs:
        link = urldefrag(urljoin(base, href.strip())).url
        # A control character (a NUL above all) is in no real URL, and PostgreSQL cannot store a NUL.
        if any(ord(c) < 32 for c in link):
            continue
        if same_host(link, host) and link not in seen:
            seen.add(link)
            page.links.append(link)
    for n, script in enumerate(parser.scripts, start=1):
        try:
            data = load_json(script, strict=False)
        except json.JSONDecodeError as exc:
            page.json_ld_errors.append(
                f"JSON-LD block {n}: {exc.msg} (line {exc.lineno}, column {exc.colno})"
            )
            continue
        except ValueError as exc:  # NaN, Infinity, a NUL character, an integer of thousands of digits
            page.json_ld_errors.append(f"JSON-LD block {n}: {exc}")
            continue
        page.postings.extend(_job_postings(data))
    return page


SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def parse_sitemap(body: bytes, url: str) -> list[str] | None:
    """The same-host <loc> URLs of a sitemap or sitemap index; None when `body` is not a sitemap."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return None
    if root.tag not in (f"{SITEMAP_NS}urlset", f"{SITEMAP_NS}sitemapindex", "urlset", "sitemapindex"):
        return None
    host = urlsplit(url).netloc
    locs = [el.text.strip() for el in root.iter() if el.tag.endswith("loc") and el.text]
    return [loc for loc in dict.fromkeys(locs) if same_host(loc, host)]
