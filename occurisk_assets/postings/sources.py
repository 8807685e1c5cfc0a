"""The configured postings sources (OCCURISK_POSTINGS_SOURCES, default the package's sources.toml):
crawl seeds, USAJOBS queries and the hosts never crawled."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from occurisk_assets.lib.settings import Settings, get_settings
from occurisk_assets.postings.fetching import FetchOptions

DEFAULT_SOURCES = Path(__file__).with_name("sources.toml")


class SourcesError(ValueError):
    pass


@dataclass(frozen=True)
class CrawlSeed:
    url: str
    max_pages: int
    delay_s: float


@dataclass(frozen=True)
class UsajobsQuery:
    params: dict
    max_pages: int


@dataclass(frozen=True)
class Sources:
    forbidden_hosts: frozenset[str]
    crawls: list[CrawlSeed] = field(default_factory=list)
    usajobs: list[UsajobsQuery] = field(default_factory=list)


def load_sources(path: Path | None = None, settings: Settings | None = None) -> Sources:
    settings = settings or get_settings()
    path = path or settings.postings_sources or DEFAULT_SOURCES
    try:
        data = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SourcesError(f"{path}: {exc}") from exc
    crawls = []
    for n, entry in enumerate(data.get("crawl", []), start=1):
        if not isinstance(entry, dict) or not entry.get("url"):
            raise SourcesError(f"{path}: [[crawl]] entry {n} has no url")
        crawls.append(
            CrawlSeed(
                entry["url"],
                int(entry.get("max_pages", settings.postings_max_pages)),
                float(entry.get("delay_s", settings.postings_delay_s)),
            )
        )
    queries = []
    for entry in data.get("usajobs", []):
        params = {k: v for k, v in entry.items() if k != "max_pages"}
        queries.append(UsajobsQuery(params, int(entry.get("max_pages", 2))))
    forbidden = frozenset(h.lower().removeprefix("www.") for h in data.get("forbidden_hosts", []))
    return Sources(forbidden, crawls, queries)


def fetch_options(settings: Settings | None = None, delay_s: float | None = None) -> FetchOptions:
    settings = settings or get_settings()
    return FetchOptions(
        user_agent=settings.postings_user_agent,
        delay_s=settings.postings_delay_s if delay_s is None else delay_s,
        timeout_s=settings.postings_timeout_s,
        attempts=settings.postings_attempts,
        max_bytes=settings.postings_max_bytes,
    )
