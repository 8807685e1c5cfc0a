"""End to end, with real servers: Debian's Prometheus scrapes a real `occurisk serve` (two workers, the deployed
read-only role) with the repository's scrape config and rules; Debian's Alertmanager routes with the
repository's routing to a local webhook receiver. The API's database is made unreachable (a TCP proxy in front
of a database of this module's own refuses connections: the session's server keeps running for the other
tests) → /api/v1/health answers 503 → the error-rate warning reaches the channel and the SLO fast-burn page
reaches paging; the database back → both are resolved. Then every dashboard panel's query runs against that
Prometheus.

Only what makes it take seconds instead of an hour differs from production: a scrape every 2 seconds and
an evaluation every second, every alert's `for:` one second, Alertmanager's group waits one second. The
rules' expressions and windows are the repository's, unchanged (an earlier version shrank the windows to
seconds: on a loaded machine they held fewer than two samples and nothing fired); the real `for:` durations
are checked by `promtool test rules` (test_monitoring.py)."""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import yaml

from api.alerting import render_alertmanager_config
from tests.api.test_monitoring import DASHBOARDS, MONITORING, panel_queries, undefined_metrics
from tests.serving import free_port, occurisk_serve

# A generous bound for each wait on a machine shared with other sessions; passing runs take seconds.
WAIT_S = 150
HEALTH = "/api/v1/health"
# Seconds between scrapes, and how long one may take.
SCRAPE_S = 2


class DatabaseProxy:
    """Forwards TCP to PostgreSQL until stop(): then drops every connection and refuses new ones."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.up = True
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self.lock:
                if not self.up:
                    client.close()
                    continue
                upstream = socket.create_connection(self.target)
                self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        with self.lock:
            self.up = False
            for s in self.sockets:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
            self.sockets.clear()

    def start(self) -> None:
        with self.lock:
            self.up = True

    def close(self) -> None:
        self.stop()
        self.listener.close()


class Webhook:
    """A local receiver: every notification Alertmanager posts, with the path it was posted to."""

    def __init__(self):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["content-length"])))
                received.append((self.path, body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def saw(self, path: str, alertname: str, status: str) -> bool:
        return any(
            p == path and alert["labels"]["alertname"] == alertname and alert["status"] == status
            for p, body in list(self.received)
            for alert in body["alerts"]
        )


class Traffic:
    """What probes and people send: GET /api/v1/health from a few threads, `pause` seconds apart each."""

    def __init__(self, api: str, threads: int = 4, pause: float = 0.5):
        self.api, self.pause = api, pause
        self.stopped = threading.Event()
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]
        for thread in self.threads:
            thread.start()

    def _run(self) -> None:
        with httpx.Client(timeout=10) as client:
            while not self.stopped.is_set():
                with contextlib.suppress(httpx.TransportError):
                    client.get(self.api + HEALTH)
                time.sleep(self.pause)

    def stop(self) -> None:
        self.stopped.set()
        for thread in self.threads:
            thread.join()


def wait_until(condition, what: str, logs: Path) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        if time.monotonic() > deadline:
            tails = {p.name: p.read_text()[-1500:] for p in sorted(logs.glob("*.log"))}
            pytest.fail(f"{what} within {WAIT_S} s; logs: {json.dumps(tails, indent=1)}")
        time.sleep(0.5)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def started(args: list[str], ready: str, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(args, stdout=log.open("w"), stderr=subprocess.STDOUT)
    wait_until(lambda: _answers(ready) or process.poll() is not None, f"{args[0]} did not start", log.parent)
    assert process.poll() is None, log.read_text()[-2000:]
    return process


def fast_rules(rules: dict) -> dict:
    """The repository's rules with every alert's `for:` one second; expressions and windows unchanged."""
    for group in rules["groups"]:
        for rule in group["rules"]:
            if "for" in rule:
                rule["for"] = "1s"
    return rules


def fast_routing(rendered: str) -> dict:
    """The repository's routing (receivers, matchers, escalation) with one-second group waits."""
    config = yaml.safe_load(rendered)
    config["route"].update(group_wait="1s", group_interval="1s")
    return config


@pytest.fixture(scope="module")
def stack(module_database, tmp_path_factory) -> Iterator[dict]:
    tmp = tmp_path_factory.mktemp("monitoring")
    webhook = Webhook()
    database = urlsplit(module_database)
    proxy = DatabaseProxy((database.hostname, database.port))
    # The same URL through the proxy; the API derives its read-only role's URL from it, as deployed.
    proxied = database._replace(netloc=f"{database.netloc.rsplit(':', 1)[0]}:{proxy.port}").geturl()
    processes = []
    try:
        # Waiting for a pooled connection gives up after as long as a scrape may take, as deployed (10 s
        # both by default): a request the database cannot answer is a 503 sooner than by default.
        env = {"OCCURISK_API_POOL_TIMEOUT_S": str(SCRAPE_S)}
        with occurisk_serve(proxied, "--workers", "2", env=env, log=tmp / "serve.log") as served:
            am_port, prom_port = free_port(), free_port()
            routing = render_alertmanager_config(
                {
                    "OCCURISK_ALERT_CHANNEL_URL": f"{webhook.url}/channel",
                    "OCCURISK_ALERT_PAGING_URL": f"{webhook.url}/paging",
                }
            )
            (tmp / "alertmanager.yml").write_text(yaml.safe_dump(fast_routing(routing)))
            processes.append(
                started(
                    [
                        shutil.which("prometheus-alertmanager"),
                        f"--config.file={tmp / 'alertmanager.yml'}",
                        f"--storage.path={tmp / 'am-data'}",
                        f"--web.listen-address=127.0.0.1:{am_port}",
                        "--cluster.listen-address=",
                    ],
                    f"http://127.0.0.1:{am_port}/-/ready",
                    tmp / "alertmanager.log",
                )
            )
            config = yaml.safe_load((MONITORING / "prometheus.yml").read_text())
            config["global"] = {
                "scrape_interval": f"{SCRAPE_S}s",
                "scrape_timeout": f"{SCRAPE_S}s",
                "evaluation_interval": "1s",
            }
            config["rule_files"] = [str(tmp / "rules.yml")]
            config["alerting"]["alertmanagers"][0]["static_configs"][0]["targets"] = [f"127.0.0.1:{am_port}"]
            # The API's job only (no Dagster exporter runs here).
            api_job = next(job for job in config["scrape_configs"] if job["job_name"] == "occurisk-api")
            api_job["static_configs"][0]["targets"] = [f"127.0.0.1:{served.port}"]
            config["scrape_configs"] = [api_job]
            (tmp / "prometheus.yml").write_text(yaml.safe_dump(config))
            rules = fast_rules(yaml.safe_load((MONITORING / "rules.yml").read_text()))
            (tmp / "rules.yml").write_text(yaml.safe_dump(rules))
            processes.append(
                started(
                    [
                        shutil.which("prometheus"),
                        f"--config.file={tmp / 'prometheus.yml'}",
                        f"--storage.tsdb.path={tmp / 'prom-data'}",
                        f"--web.listen-address=127.0.0.1:{prom_port}",
                    ],
                    f"http://127.0.0.1:{prom_port}/-/ready",
                    tmp / "prometheus.log",
                )
            )
            yield {
                "api": served.url,
                "prometheus": f"http://127.0.0.1:{prom_port}",
                "webhook": webhook,
                "proxy": proxy,
                "logs": tmp,
            }
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
        webhook.server.shutdown()
        proxy.close()


def query(prometheus: str, promql: str) -> dict:
    return httpx.get(f"{prometheus}/api/v1/query", params={"query": promql}, timeout=10).json()


def test_database_unreachable_warns_pages_and_resolves(stack):
    api, prometheus, webhook, proxy, logs = (
        stack[k] for k in ("api", "prometheus", "webhook", "proxy", "logs")
    )
    # Paced traffic before and during the fault, so that the failures soon outweigh the 5-minute window's
    # successes (the error ratio must pass 14.4% for the page).
    traffic = Traffic(api, pause=0.5)
    try:
        scraped = f'occurisk_http_requests_total{{route="{HEALTH}",status_class="2xx"}}'
        wait_until(
            lambda: query(prometheus, scraped)["data"]["result"], "the API's answers never scraped", logs
        )
        proxy.stop()
        wait_until(
            lambda: httpx.get(api + HEALTH, timeout=10).status_code == 503, "no 503 from /health", logs
        )
        wait_until(lambda: webhook.saw("/channel", "OccuriskHighErrorRate", "firing"), "no warning", logs)
        # Escalation: the critical burn-rate alert pages (and is posted to the channel too).
        wait_until(
            lambda: webhook.saw("/paging", "OccuriskErrorBudgetFastBurn", "firing"), "nobody paged", logs
        )
        wait_until(
            lambda: webhook.saw("/channel", "OccuriskErrorBudgetFastBurn", "firing"), "channel not told", logs
        )
        assert not webhook.saw("/paging", "OccuriskHighErrorRate", "firing")  # a warning pages nobody
    finally:
        traffic.stop()
    proxy.start()
    # Back: answers flow again (unpaced, so the fault's failures soon drop under 5% of the window's answers).
    wait_until(lambda: _answers(api + HEALTH), "/health never answered again", logs)
    traffic = Traffic(api, pause=0)
    try:
        wait_until(
            lambda: webhook.saw("/channel", "OccuriskHighErrorRate", "resolved"), "never resolved", logs
        )
        wait_until(
            lambda: webhook.saw("/paging", "OccuriskErrorBudgetFastBurn", "resolved"), "page kept", logs
        )
    finally:
        traffic.stop()


def test_every_dashboard_query_runs_on_the_real_prometheus(stack):
    prometheus, logs = stack["prometheus"], stack["logs"]
    wait_until(
        lambda: query(prometheus, "occurisk_http_requests_total")["data"]["result"], "no metrics", logs
    )
    for dashboard in DASHBOARDS:
        for title, expr in panel_queries(dashboard):
            answer = query(prometheus, expr)
            assert answer["status"] == "success", (dashboard.name, title, answer)
            assert not undefined_metrics(expr), (dashboard.name, title)
    # The API's panels show data after traffic; the platform's figures were read through the API's role.
    for expr in (
        "sum by (route) (rate(occurisk_http_requests_total[5m]))",
        "occurisk:http_error_ratio:rate5m",
        "occurisk_platform_metrics_up == 1",
    ):
        assert query(prometheus, expr)["data"]["result"], expr
