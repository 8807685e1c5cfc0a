"""Polite HTTP fetching for the crawler: robots.txt (RFC 9309, incl. Crawl-delay), a configurable
User-Agent, one pace per host, retries of transient errors with exponential backoff, conditional requests,
redirects followed by hand (same host only, loops detected), and a size cap on every body."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

TRANSIENT_STATUS = {408, 425, 429, 500, 502, 503, 504}
REDIRECT_STATUS = {301, 302, 303, 307, 308}
MAX_RETRY_AFTER_S = 60.0


@dataclass(frozen=True)
class FetchOptions:
    user_agent: str
    delay_s: float = 1.0  # the least time between two requests to one host (robots Crawl-delay may raise it)
    timeout_s: float = 10.0
    attempts: int = 3  # tries of a request that failed transiently (timeouts, 429, 5xx)
    backoff_s: float = 0.5  # first wait between tries; doubles each time
    max_bytes: int = 2_000_000
    max_redirects: int = 5


class FetchError(Exception):
    """A URL that could not be fetched; `reason` says why in words, `skipped` when no request was made
    because the rules forbid it (robots.txt, off-host redirect)."""

    def __init__(self, reason: str, http_status: int | None = None, skipped: bool = False) -> None:
        super().__init__(reason)
        self.reason, self.http_status, self.skipped = reason, http_status, skipped


class _Transient(Exception):
    def __init__(self, reason: str, http_status: int | None = None, retry_after: float = 0.0) -> None:
        super().__init__(reason)
        self.reason, self.http_status, self.retry_after = reason, http_status, retry_after


@dataclass
class Response:
    url: str  # after redirects
    status: int
    headers: dict[str, str]
    body: bytes
    elapsed_ms: int

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                return value.strip('"')
        return "utf-8"


class HostPacer:
    """Waits so that a request to a host starts at least `delay` seconds after the previous one to that
    host ended (so a slow site gets more room, not less)."""

    def __init__(
        self, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep
    ):
        self.clock, self.sleep = clock, sleep
        self._last: dict[str, float] = {}

    def wait(self, host: str, delay: float) -> None:
        last = self._last.get(host)
        if last is not None:
            remaining = last + delay - self.clock()
            if remaining > 0:
                self.sleep(remaining)

    def finished(self, host: str) -> None:
        self._last[host] = self.clock()


def crawl_delays(lines: list[str]) -> dict[str, float]:
    """Crawl-delay per user-agent token. The standard library's parser reads whole seconds only, while
    sites write `Crawl-delay: 0.5` too."""
    delays: dict[str, float] = {}
    agents: list[str] = []
    in_rules = False
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        key, _, value = line.partition(":")
        key, value = key.strip().lower(), value.strip()
        if key == "user-agent":
            if in_rules:
                agents, in_rules = [], False
            agents.append(value.lower())
        elif key in ("allow", "disallow", "crawl-delay", "request-rate"):
            in_rules = True
            if key == "crawl-delay":
                try:
                    delay = float(value)
                except ValueError:
                    continue
                for agent in agents:
                    delays[agent] = delay
    return delays


@dataclass
class _Robots:
    parser: RobotFileParser | None  # None: everything allowed (robots.txt absent or 4xx)
    refused: str | None = None  # why the whole host is off limits (robots.txt unreachable or 5xx)
    delays: dict[str, float] = field(default_factory=dict)

    def allows(self, user_agent: str, url: str) -> bool:
        return self.refused is None and (self.parser is None or self.parser.can_fetch(user_agent, url))

    def crawl_delay(self, user_agent: str) -> float:
        if self.parser is None:
            return 0.0
        ua = user_agent.lower()
        own = [d for agent, d in self.delays.items() if agent != "*" and agent in ua]
        delay = own[0] if own else self.delays.get("*", 0.0)
        rate = self.parser.request_rate(user_agent)
        from_rate = rate.seconds / rate.requests if rate and rate.requests else 0.0
        return max(float(delay or 0.0), from_rate)


@dataclass
class PoliteFetcher:
    options: FetchOptions
    client: httpx.Client | None = None
    pacer: HostPacer = field(default_factory=HostPacer)
    n_requests: int = 0

    def __post_init__(self) -> None:
        self._robots: dict[str, _Robots] = {}
        if self.client is None:
            self.client = httpx.Client(
                timeout=self.options.timeout_s,
                follow_redirects=False,
                headers={"User-Agent": self.options.user_agent},
            )

    def close(self) -> None:
        self.client.close()

    # robots.txt ---------------------------------------------------------------------------------------
    def robots(self, url: str) -> _Robots:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        if key not in self._robots:
            self._robots[key] = self._fetch_robots(key)
        return self._robots[key]

    def _fetch_robots(self, origin: str) -> _Robots:
        try:
            resp = self._request(f"{origin}/robots.txt", {}, self.options.delay_s)
        except FetchError as exc:
            # RFC 9309 §2.3.1.4: robots.txt unreachable → assume the whole site is disallowed.
            return _Robots(None, refused=f"robots.txt unreachable ({exc.reason}): site not crawled")
        if resp.status >= 500:
            return _Robots(None, refused=f"robots.txt answered HTTP {resp.status}: site not crawled")
        if resp.status != 200:  # 4xx (incl. 404): no rules, everything allowed (RFC 9309 §2.3.1.3)
            return _Robots(None)
        lines = resp.body.decode(resp.charset, errors="replace").splitlines()
        parser = RobotFileParser()
        parser.parse(lines)
        return _Robots(parser, delays=crawl_delays(lines))

    def host_delay(self, url: str) -> float:
        return max(self.options.delay_s, self.robots(url).crawl_delay(self.options.user_agent))

    # fetching -----------------------------------------------------------------------------------------
    def fetch(self, url: str, conditional: dict[str, str] | None = None) -> Response:
        """GET `url` within the rules, following same-host redirects; FetchError says why not."""
        chain = [url]
        current = url
        headers = dict(conditional or {})
        for _ in range(self.options.max_redirects + 1):
            robots = self.robots(current)
            if robots.refused:
                raise FetchError(robots.refused, skipped=True)
            if not robots.allows(self.options.user_agent, current):
                raise FetchError("disallowed by robots.txt", skipped=True)
            resp = self._request(current, headers, self.host_delay(current))
            if resp.status not in REDIRECT_STATUS:
                return resp
            location = resp.headers.get("location")
            if not location:
                raise FetchError(f"HTTP {resp.status} redirect without a Location header", resp.status)
            target = urldefrag(urljoin(current, location)).url
            if target in chain:
                raise FetchError("redirect loop: " + " → ".join([*chain, target]), resp.status)
            if urlsplit(target).netloc.lower() != urlsplit(url).netloc.lower():
                raise FetchError(f"redirects to another host ({target}): not followed", resp.status, True)
            chain.append(target)
            current, headers = target, {}  # the validators belong to the first URL only
        raise FetchError(f"more than {self.options.max_redirects} redirects: " + " → ".join(chain))

    def _request(self, url: str, headers: dict[str, str], delay: float) -> Response:
        host = urlsplit(url).netloc.lower()

        def wait(state) -> float:
            exc = state.outcome.exception()
            backoff = wait_exponential(multiplier=self.options.backoff_s, max=30)(state)
            return max(backoff, min(getattr(exc, "retry_after", 0.0), MAX_RETRY_AFTER_S))

        try:
            for attempt in Retrying(
                stop=stop_after_attempt(self.options.attempts),
                wait=wait,
                retry=retry_if_exception_type(_Transient),
                sleep=self.pacer.sleep,
                reraise=True,
            ):
                with attempt:
                    self.pacer.wait(host, delay)
                    try:
                        return self._once(url, headers)
                    finally:
                        self.pacer.finished(host)
        except _Transient as exc:
            raise FetchError(f"{exc.reason} after {self.options.attempts} attempts", exc.http_status) from exc
        raise AssertionError("unreachable")  # Retrying either returns or re-raises

    def _once(self, url: str, headers: dict[str, str]) -> Response:
        self.n_requests += 1
        started = time.monotonic()
        try:
            with self.client.stream("GET", url, headers=headers) as r:
                if r.status_code in TRANSIENT_STATUS:
                    raise _Transient(f"HTTP {r.status_code}", r.status_code, _retry_after(r.headers))
                declared = r.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.options.max_bytes:
                    raise FetchError(
                        f"page too large ({int(declared):,} bytes > {self.options.max_bytes:,})",
                        r.status_code,
                    )
                chunks, size = [], 0
                for chunk in r.iter_bytes():
                    size += len(chunk)
                    if size > self.options.max_bytes:
                        raise FetchError(
                            f"page too large (more than {self.options.max_bytes:,} bytes)", r.status_code
                        )
                    chunks.append(chunk)
                return Response(
                    url=url,
                    status=r.status_code,
                    headers={k.lower(): v for k, v in r.headers.items()},
                    body=b"".join(chunks),
                    elapsed_ms=round((time.monotonic() - started) * 1000),
                )
        except httpx.TimeoutException as exc:
            raise _Transient(f"timed out after {self.options.timeout_s:g} s") from exc
        except httpx.TransportError as exc:
            raise _Transient(f"connection failed ({type(exc).__name__})") from exc
        except httpx.HTTPError as exc:  # e.g. a body that does not decode as its Content-Encoding says
            raise FetchError(f"unreadable response ({type(exc).__name__}: {exc})") from exc


def _retry_after(headers: httpx.Headers) -> float:
    value = headers.get("retry-after", "")
    return float(value) if value.strip().isdigit() else 0.0
