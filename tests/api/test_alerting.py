"""End to end, with real servers: Prometheus (Debian's) scrapes a real `occurisk serve` with the repository's
scrape config and rules, a real Alertmanager routes with the repository's routing to a local webhook receiver.
The database is "stopped" (a TCP proxy in front of it refuses connections) → /api/v1/health answers 503 →
the error-rate warning reaches the channel and the SLO fast-burn page reaches paging; the database back →
the alert resolves. Then every dashboard panel's query is run against that Prometheus.

The rules' durations are divided by 60 for the test (minutes → seconds, hours → minutes) so it takes a minute,
not an hour; the real durations are checked by `promtool test rules` (test_monitoring.py)."""

from __future__ import annotations

import contextlib
import json
import re
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

WAIT_S = 180


def compressed(text: str) -> str:
    """Durations 60 times shorter: 5m → 5s, 1h → 1m, 1d → 1h (record names such as rate5m keep theirs)."""
    return re.sub(r"\b(\d+)([mhd])\b", lambda m: m[1] + {"m": "s", "h": "m", "d": "h"}[m[2]], text)


class DatabaseProxy:
    """Forwards TCP to PostgreSQL until stop(): then drops every connection and refuses new ones."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.up = True
        self.sockets: list[socket.socket] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
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
                s.close()

    def stop(self) -> None:
        self.up = False
        for s in self.sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
        self.sockets.clear()

    def start(self) -> None:
        self.up = True


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


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.5)


def started(args: list[str], ready: str, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(args, stdout=log.open("w"), stderr=subprocess.STDOUT)
    wait_until(lambda: _answers(ready) or process.poll() is not None, f"{args[0]} did not start")
    assert process.poll() is None, log.read_text()[-2000:]
    return process


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


@pytest.fixture(scope="module")
def stack(built_database, tmp_path_factory) -> Iterator[dict]:
    tmp = tmp_path_factory.mktemp("monitoring")
    webhook = Webhook()
    database = urlsplit(built_database)
    proxy = DatabaseProxy((database.hostname, database.port))
    proxied = database._replace(netloc=f"{database.netloc.rsplit(':', 1)[0]}:{proxy.port}").geturl()
    env = {"OCCURISK_API_POOL_TIMEOUT_S": "1"}
    processes = []
    with occurisk_serve(proxied, env=env, log=tmp / "serve.log") as served:
        try:
            am_port, prom_port = free_port(), free_port()
            alertmanager_yml = render_alertmanager_config(
                {
                    "OCCURISK_ALERT_CHANNEL_URL": f"{webhook.url}/channel",
                    "OCCURISK_ALERT_PAGING_URL": f"{webhook.url}/paging",
                }
            )
            (tmp / "alertmanager.yml").write_text(compressed(alertmanager_yml))
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
            config["global"] = {"scrape_interval": "1s", "evaluation_interval": "1s"}
            config["alerting"]["alertmanagers"][0]["static_configs"][0]["targets"] = [f"127.0.0.1:{am_port}"]
            config["scrape_configs"][0]["static_configs"][0]["targets"] = [f"127.0.0.1:{served.port}"]
            (tmp / "prometheus.yml").write_text(yaml.safe_dump(config))
            (tmp / "rules.yml").write_text(compressed((MONITORING / "rules.yml").read_text()))
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
            }
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=30)
            webhook.server.shutdown()
            proxy.listener.close()


def query(prometheus: str, promql: str) -> dict:
    return httpx.get(f"{prometheus}/api/v1/query", params={"query": promql}).json()


def test_database_down_fires_warns_pages_and_resolves(stack):
    api, prometheus, webhook, proxy = stack["api"], stack["prometheus"], stack["webhook"], stack["proxy"]
    stop = threading.Event()

    def traffic():  # what probes and people would send: /health and an occupation
        while not stop.is_set():
            for path in ("/api/v1/health", "/api/v1/occupations/15-1252"):
                with contextlib.suppress(httpx.TransportError):
                    httpx.get(api + path, timeout=5)
            time.sleep(0.1)

    thread = threading.Thread(target=traffic, daemon=True)
    thread.start()
    try:
        wait_until(
            lambda: query(prometheus, 'up{job="occurisk-api"} == 1')["data"]["result"], "API never scraped"
        )
        proxy.stop()
        wait_until(lambda: webhook.saw("/channel", "OccuriskHighErrorRate", "firing"), "no warning")
        # Escalation: the critical burn-rate alert pages (and is posted to the channel too).
        wait_until(lambda: webhook.saw("/paging", "OccuriskErrorBudgetFastBurn", "firing"), "nobody paged")
        assert webhook.saw("/channel", "OccuriskErrorBudgetFastBurn", "firing")
        assert not webhook.saw("/paging", "OccuriskHighErrorRate", "firing")  # a warning pages nobody
        proxy.start()
        wait_until(lambda: webhook.saw("/channel", "OccuriskHighErrorRate", "resolved"), "never resolved")
    finally:
        stop.set()
        thread.join()


def test_every_dashboard_query_parses_and_names_real_metrics(stack):
    prometheus = stack["prometheus"]
    wait_until(
        lambda: query(prometheus, "occurisk_http_requests_total")["data"]["result"], "no request metrics"
    )
    for dashboard in DASHBOARDS:
        for title, expr in panel_queries(dashboard):
            answer = query(prometheus, expr)
            assert answer["status"] == "success", (dashboard.name, title, answer)
            assert not undefined_metrics(expr), (dashboard.name, title)
    # The API panels show data after traffic.
    for expr in (
        "sum by (route) (rate(occurisk_http_requests_total[5m]))",
        "occurisk:http_error_ratio:rate5m",
    ):
        assert query(prometheus, expr)["data"]["result"], expr
